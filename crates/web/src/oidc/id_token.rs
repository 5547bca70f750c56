//! Checking an OpenID Connect ID token (a JWS in compact form): its signature (RS256 or ES256,
//! with the provider's key named by `kid`), issuer, audience, expiry and nonce. Pure: no I/O.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gastvrij_app::accounts::ExternalIdentity;
use ring::signature;
use serde::Deserialize;

/// How far the provider's clock may run ahead or behind ours.
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// One key of the provider's JSON Web Key Set.
#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    #[serde(default)]
    pub kid: Option<String>,
    #[serde(default)]
    pub kty: String,
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    #[serde(default)]
    pub n: Option<String>,
    #[serde(default)]
    pub e: Option<String>,
    #[serde(default)]
    pub crv: Option<String>,
    #[serde(default)]
    pub x: Option<String>,
    #[serde(default)]
    pub y: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Jwks {
    #[serde(default)]
    pub keys: Vec<Jwk>,
}

/// What the token must say.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// Seconds since the Unix epoch.
    pub now: i64,
}

/// Why a token was refused; the names are safe to log (no personal data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    Malformed,
    Algorithm,
    /// No key in the set matches the token's `kid` (the provider may have rotated its keys).
    UnknownKey,
    Signature,
    Issuer,
    Audience,
    Expired,
    NotYetValid,
    Nonce,
}

impl Rejection {
    pub fn reason(self) -> &'static str {
        match self {
            Rejection::Malformed => "malformed_token",
            Rejection::Algorithm => "unsupported_algorithm",
            Rejection::UnknownKey => "unknown_key",
            Rejection::Signature => "bad_signature",
            Rejection::Issuer => "wrong_issuer",
            Rejection::Audience => "wrong_audience",
            Rejection::Expired => "expired",
            Rejection::NotYetValid => "not_yet_valid",
            Rejection::Nonce => "wrong_nonce",
        }
    }
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    /// The person's lasting id at the issuer: what an account is bound to.
    sub: String,
    aud: Audience,
    exp: f64,
    #[serde(default)]
    nbf: Option<f64>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<serde_json::Value>,
}

/// Check `token` against the provider's `keys` and the expectations; the identity it names.
pub fn verify(token: &str, keys: &[Jwk], expected: &Expected) -> Result<ExternalIdentity, Rejection> {
    let mut parts = token.split('.');
    let (Some(header64), Some(payload64), Some(signature64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Rejection::Malformed);
    };
    let header: Header = decode_json(header64)?;
    let signature = URL_SAFE_NO_PAD.decode(signature64).map_err(|_| Rejection::Malformed)?;
    let signed = &token.as_bytes()[..header64.len() + 1 + payload64.len()];
    let kty = match header.alg.as_str() {
        "RS256" => "RSA",
        "ES256" => "EC",
        _ => return Err(Rejection::Algorithm),
    };
    let key = find_key(keys, &header, kty)?;
    check_signature(key, &header.alg, signed, &signature)?;

    let claims: Claims = decode_json(payload64)?;
    if claims.iss != expected.issuer {
        return Err(Rejection::Issuer);
    }
    let audience_ok = match &claims.aud {
        Audience::One(a) => a == expected.client_id,
        Audience::Many(list) => list.iter().any(|a| a == expected.client_id),
    };
    if !audience_ok || claims.azp.as_deref().is_some_and(|azp| azp != expected.client_id) {
        return Err(Rejection::Audience);
    }
    let now = expected.now as f64;
    if claims.exp + (CLOCK_SKEW_SECONDS as f64) <= now {
        return Err(Rejection::Expired);
    }
    if claims.nbf.is_some_and(|nbf| nbf - (CLOCK_SKEW_SECONDS as f64) > now) {
        return Err(Rejection::NotYetValid);
    }
    if !claims.nonce.as_deref().is_some_and(|n| crate::auth::same_token(n, expected.nonce)) {
        return Err(Rejection::Nonce);
    }
    if claims.sub.trim().is_empty() {
        return Err(Rejection::Malformed);
    }
    // Keycloak says `email_verified`, sometimes as a string; Entra ID leaves it out, and an
    // address nobody vouches for counts as unverified.
    let email_verified = matches!(&claims.email_verified, Some(serde_json::Value::Bool(true)))
        || matches!(&claims.email_verified, Some(serde_json::Value::String(s)) if s == "true");
    Ok(ExternalIdentity {
        issuer: claims.iss,
        subject: claims.sub,
        username: claims.preferred_username.filter(|u| !u.trim().is_empty()),
        email: claims.email.filter(|e| !e.trim().is_empty()),
        email_verified,
    })
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, Rejection> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| Rejection::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| Rejection::Malformed)
}

fn find_key<'k>(keys: &'k [Jwk], header: &Header, kty: &str) -> Result<&'k Jwk, Rejection> {
    let usable = |k: &&Jwk| {
        k.kty == kty && k.use_.as_deref().is_none_or(|u| u == "sig") && k.alg.as_deref().is_none_or(|a| a == header.alg)
    };
    match &header.kid {
        Some(kid) => keys.iter().filter(usable).find(|k| k.kid.as_deref() == Some(kid.as_str())),
        // Without a `kid` only an unambiguous key will do.
        None => {
            let mut candidates = keys.iter().filter(usable);
            candidates.next().filter(|_| candidates.next().is_none())
        }
    }
    .ok_or(Rejection::UnknownKey)
}

fn check_signature(key: &Jwk, alg: &str, signed: &[u8], sig: &[u8]) -> Result<(), Rejection> {
    let field = |v: &Option<String>| {
        v.as_deref().and_then(|s| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()).ok_or(Rejection::Malformed)
    };
    let ok = match alg {
        "RS256" => {
            let (n, e) = (field(&key.n)?, field(&key.e)?);
            signature::RsaPublicKeyComponents { n: &n, e: &e }
                .verify(&signature::RSA_PKCS1_2048_8192_SHA256, signed, sig)
                .is_ok()
        }
        "ES256" => {
            if key.crv.as_deref() != Some("P-256") {
                return Err(Rejection::Algorithm);
            }
            let (x, y) = (field(&key.x)?, field(&key.y)?);
            if x.len() != 32 || y.len() != 32 {
                return Err(Rejection::Malformed);
            }
            let point: Vec<u8> = [&[4u8][..], &x, &y].concat();
            signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point).verify(signed, sig).is_ok()
        }
        _ => false,
    };
    if ok { Ok(()) } else { Err(Rejection::Signature) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
    use serde_json::json;

    const ISSUER: &str = "https://login.example.nl/realms/ws";

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A fresh P-256 key (ring generates these cheaply) and its JWK.
    fn es256_key(kid: &str) -> (EcdsaKeyPair, Jwk) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let point = pair.public_key().as_ref();
        let jwk = serde_json::from_value(json!({
            "kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
            "x": b64(&point[1..33]), "y": b64(&point[33..65])
        }))
        .unwrap();
        (pair, jwk)
    }

    fn sign(pair: &EcdsaKeyPair, header: serde_json::Value, claims: serde_json::Value) -> String {
        let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
        let sig = pair.sign(&SystemRandom::new(), input.as_bytes()).unwrap();
        format!("{input}.{}", b64(sig.as_ref()))
    }

    fn claims(now: i64) -> serde_json::Value {
        json!({"iss": ISSUER, "sub": "f3c1-anna", "aud": "gastvrij", "exp": now + 300, "iat": now, "nonce": "n0nce",
               "preferred_username": "Anna", "email": "anna@ws.nl"})
    }

    fn expected(now: i64) -> Expected<'static> {
        Expected { issuer: ISSUER, client_id: "gastvrij", nonce: "n0nce", now }
    }

    #[test]
    fn a_good_es256_token_passes_and_every_broken_claim_is_refused() {
        let now = 1_800_000_000;
        let (pair, jwk) = es256_key("k1");
        let keys = [jwk];
        let header = json!({"alg": "ES256", "kid": "k1"});
        let ok = verify(&sign(&pair, header.clone(), claims(now)), &keys, &expected(now)).unwrap();
        assert_eq!((ok.issuer.as_str(), ok.subject.as_str()), (ISSUER, "f3c1-anna"));
        assert_eq!(ok.username.as_deref(), Some("Anna"));
        assert_eq!(ok.email.as_deref(), Some("anna@ws.nl"));
        assert!(!ok.email_verified, "an address nobody vouches for is not verified");

        let with = |key: &str, value: serde_json::Value| {
            let mut c = claims(now);
            c[key] = value;
            verify(&sign(&pair, header.clone(), c), &keys, &expected(now))
        };
        assert_eq!(with("iss", json!("https://elders.nl")).unwrap_err(), Rejection::Issuer);
        assert_eq!(with("aud", json!("ander")).unwrap_err(), Rejection::Audience);
        assert!(with("aud", json!(["ander", "gastvrij"])).is_ok());
        assert_eq!(with("azp", json!("ander")).unwrap_err(), Rejection::Audience);
        assert_eq!(with("exp", json!(now - 61)).unwrap_err(), Rejection::Expired);
        assert!(with("exp", json!(now - 30)).is_ok(), "within the allowed clock skew");
        assert_eq!(with("nbf", json!(now + 120)).unwrap_err(), Rejection::NotYetValid);
        assert_eq!(with("nonce", json!("ander")).unwrap_err(), Rejection::Nonce);
        assert!(!with("email_verified", json!(false)).unwrap().email_verified);
        assert!(!with("email_verified", json!("false")).unwrap().email_verified);
        assert!(with("email_verified", json!(true)).unwrap().email_verified);
        assert!(with("email_verified", json!("true")).unwrap().email_verified);
        assert_eq!(with("sub", json!("")).unwrap_err(), Rejection::Malformed);
        let mut no_sub = claims(now);
        no_sub.as_object_mut().unwrap().remove("sub");
        assert_eq!(
            verify(&sign(&pair, header.clone(), no_sub), &keys, &expected(now)).unwrap_err(),
            Rejection::Malformed
        );
    }

    #[test]
    fn signatures_keys_and_algorithms_are_checked() {
        let now = 1_800_000_000;
        let (pair, jwk) = es256_key("k1");
        let (other, other_jwk) = es256_key("k2");
        let both = [jwk, other_jwk];
        let (k1, k2) = (&both[..1], &both[1..]);
        let token = sign(&pair, json!({"alg": "ES256", "kid": "k1"}), claims(now));
        assert_eq!(verify(&token, k2, &expected(now)).unwrap_err(), Rejection::UnknownKey);
        // The right kid, but signed by another key.
        let forged = sign(&other, json!({"alg": "ES256", "kid": "k1"}), claims(now));
        assert_eq!(verify(&forged, k1, &expected(now)).unwrap_err(), Rejection::Signature);
        // A changed payload breaks the signature.
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        let mut c = claims(now);
        c["preferred_username"] = json!("beheer");
        parts[1] = b64(c.to_string().as_bytes());
        assert_eq!(verify(&parts.join("."), k1, &expected(now)).unwrap_err(), Rejection::Signature);
        // Unsigned and symmetric tokens are never accepted.
        for alg in ["none", "HS256"] {
            let t = format!("{}.{}.", b64(json!({"alg": alg}).to_string().as_bytes()), parts[1]);
            assert_eq!(verify(&t, k1, &expected(now)).unwrap_err(), Rejection::Algorithm);
        }
        assert_eq!(verify("not-a-token", k1, &expected(now)).unwrap_err(), Rejection::Malformed);
        // Without a kid, one usable key is used; with two, none is guessed.
        let no_kid = sign(&pair, json!({"alg": "ES256"}), claims(now));
        assert!(verify(&no_kid, k1, &expected(now)).is_ok());
        assert_eq!(verify(&no_kid, &both, &expected(now)).unwrap_err(), Rejection::UnknownKey);
    }
}
