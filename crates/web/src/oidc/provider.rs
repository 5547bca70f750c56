//! The OpenID Connect provider as Gastvrij sees it: its configuration, its discovery document
//! (read once and kept), its signing keys (kept, and fetched again once when a token names a key
//! we do not know: key rotation) and its token endpoint.

use super::id_token::{self, Expected, Jwks, Rejection};
use gastvrij_app::accounts::ExternalIdentity;
use reqwest::Url;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

/// The operator's OIDC settings, checked.
#[derive(Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// `{public_url}/inloggen/oidc/terug`: register this at the provider.
    pub redirect_uri: String,
    /// The text of the sign-in button.
    pub label: String,
    /// Whether Gastvrij is served over HTTPS (cookies then get `Secure`).
    pub secure_cookies: bool,
}

impl std::fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[hidden]")
            .field("redirect_uri", &self.redirect_uri)
            .field("label", &self.label)
            .finish()
    }
}

/// The default text of the sign-in button.
pub const DEFAULT_LABEL: &str = "Inloggen met uw organisatie-account";

impl OidcConfig {
    /// Check the shape of the settings. The issuer must use HTTPS, except on this machine
    /// (`localhost`, `127.0.0.1`, `[::1]`), for tests and trials.
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        public_url: &str,
        label: Option<&str>,
    ) -> Result<Self, String> {
        let issuer = issuer.trim();
        let parsed = Url::parse(issuer).map_err(|e| format!("the OIDC issuer '{issuer}' is not a URL: {e}"))?;
        let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
        if !(parsed.scheme() == "https" || parsed.scheme() == "http" && local) {
            return Err(format!("the OIDC issuer '{issuer}' must start with https://"));
        }
        let public_url = public_url.trim().trim_end_matches('/');
        let public = Url::parse(public_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| format!("the public URL '{public_url}' must be an http:// or https:// address"))?;
        if client_id.trim().is_empty() || client_secret.is_empty() {
            return Err("the OIDC client id and client secret must not be empty".into());
        }
        Ok(Self {
            issuer: issuer.to_string(),
            client_id: client_id.trim().to_string(),
            client_secret: client_secret.to_string(),
            redirect_uri: format!("{public_url}/inloggen/oidc/terug"),
            label: label.map(str::trim).filter(|l| !l.is_empty()).unwrap_or(DEFAULT_LABEL).to_string(),
            secure_cookies: public.scheme() == "https",
        })
    }
}

/// What went wrong with the provider. The texts name no person and hold no token.
#[derive(Debug)]
pub enum OidcError {
    /// The provider could not be reached, or answered with a server error.
    Unreachable(String),
    /// The provider answered, but not in a way we can use (bad discovery document, refused code).
    BadAnswer(String),
    /// The ID token failed a check.
    Rejected(Rejection),
}

/// The endpoints from the discovery document.
#[derive(Debug)]
pub struct Metadata {
    pub authorization_endpoint: Url,
    pub token_endpoint: Url,
    pub jwks_uri: Url,
}

pub struct Provider {
    pub config: OidcConfig,
    http: reqwest::Client,
    metadata: Mutex<Option<Arc<Metadata>>>,
    keys: Mutex<Option<Arc<Jwks>>>,
}

impl Provider {
    pub fn new(config: OidcConfig) -> Result<Self, String> {
        // reqwest is built without a TLS crypto provider of its own: use ring (as the mailer does).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("gastvrij/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client for OIDC: {e}"))?;
        Ok(Self { config, http, metadata: Mutex::new(None), keys: Mutex::new(None) })
    }

    /// The discovery document, fetched on first use and kept. Its `issuer` must be exactly the
    /// configured one.
    pub async fn metadata(&self) -> Result<Arc<Metadata>, OidcError> {
        let mut cached = self.metadata.lock().await;
        if let Some(m) = cached.as_ref() {
            return Ok(m.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", self.config.issuer.trim_end_matches('/'));
        let doc: serde_json::Value = self.get_json(&url, "discovery document").await?;
        let issuer = doc["issuer"].as_str().unwrap_or_default();
        if issuer != self.config.issuer {
            return Err(OidcError::BadAnswer(format!(
                "the provider's discovery document names issuer '{issuer}', not '{}'; set --oidc-issuer \
                 (GASTVRIJ_OIDC_ISSUER) to exactly the issuer the provider names",
                self.config.issuer
            )));
        }
        let endpoint = |field: &str| {
            doc[field].as_str().and_then(|u| Url::parse(u).ok()).ok_or_else(|| {
                OidcError::BadAnswer(format!("the provider's discovery document has no valid '{field}'"))
            })
        };
        let metadata = Arc::new(Metadata {
            authorization_endpoint: endpoint("authorization_endpoint")?,
            token_endpoint: endpoint("token_endpoint")?,
            jwks_uri: endpoint("jwks_uri")?,
        });
        *cached = Some(metadata.clone());
        Ok(metadata)
    }

    /// Where to send the browser: the authorization endpoint with our request.
    pub async fn authorization_url(&self, state: &str, nonce: &str, challenge: &str) -> Result<String, OidcError> {
        let mut url = self.metadata().await?.authorization_endpoint.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("scope", "openid email profile")
            .append_pair("client_id", &self.config.client_id)
            .append_pair("redirect_uri", &self.config.redirect_uri)
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
        Ok(url.into())
    }

    /// Exchange the code for tokens (client_secret_post) and check the ID token.
    pub async fn sign_in(
        &self,
        code: &str,
        verifier: &str,
        nonce: &str,
        now: i64,
    ) -> Result<ExternalIdentity, OidcError> {
        let metadata = self.metadata().await?;
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &self.config.redirect_uri),
            ("client_id", &self.config.client_id),
            ("client_secret", &self.config.client_secret),
            ("code_verifier", verifier),
        ];
        let res = self
            .http
            .post(metadata.token_endpoint.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| OidcError::Unreachable(format!("token endpoint: {}", causes(e))))?;
        let status = res.status();
        if status.is_server_error() {
            return Err(OidcError::Unreachable(format!("token endpoint answered {status}")));
        }
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        if !status.is_success() {
            // `error` is an OAuth code such as invalid_grant or invalid_client: no personal data.
            let code = body["error"].as_str().unwrap_or("no error code");
            return Err(OidcError::BadAnswer(format!("token endpoint answered {status} ({code})")));
        }
        let token = body["id_token"]
            .as_str()
            .ok_or_else(|| OidcError::BadAnswer("the token endpoint's answer has no id_token".into()))?;
        let expected = Expected { issuer: &self.config.issuer, client_id: &self.config.client_id, nonce, now };
        match id_token::verify(token, &self.keys(&metadata, false).await?.keys, &expected) {
            // The provider may have rotated its keys: fetch them again, once.
            Err(Rejection::UnknownKey) => {
                id_token::verify(token, &self.keys(&metadata, true).await?.keys, &expected).map_err(OidcError::Rejected)
            }
            other => other.map_err(OidcError::Rejected),
        }
    }

    async fn keys(&self, metadata: &Metadata, refresh: bool) -> Result<Arc<Jwks>, OidcError> {
        let mut cached = self.keys.lock().await;
        if let Some(keys) = cached.as_ref().filter(|_| !refresh) {
            return Ok(keys.clone());
        }
        let keys: Arc<Jwks> = Arc::new(self.get_json(metadata.jwks_uri.as_str(), "key set").await?);
        *cached = Some(keys.clone());
        Ok(keys)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str, what: &str) -> Result<T, OidcError> {
        let res = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| OidcError::Unreachable(format!("{what} at {url}: {}", causes(e))))?;
        let status = res.status();
        if status.is_server_error() {
            return Err(OidcError::Unreachable(format!("{what} at {url} answered {status}")));
        }
        if !status.is_success() {
            return Err(OidcError::BadAnswer(format!("{what} at {url} answered {status}; check --oidc-issuer")));
        }
        res.json().await.map_err(|e| OidcError::BadAnswer(format!("{what} at {url} is not valid JSON: {e}")))
    }
}

/// The error and its causes on one line ("error sending request: … Connection refused"), without
/// the URL (the callers name the endpoint).
fn causes(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_the_redirect_uri_follows_the_public_url() {
        let c =
            OidcConfig::new("https://sso.ws.nl/realms/ws", "gastvrij", "geheim", "https://kcc.ws.nl/", None).unwrap();
        assert_eq!(c.redirect_uri, "https://kcc.ws.nl/inloggen/oidc/terug");
        assert_eq!(c.label, DEFAULT_LABEL);
        assert!(c.secure_cookies);
        assert!(OidcConfig::new("http://127.0.0.1:9000", "a", "b", "http://localhost:8080", Some("SSO")).is_ok());
        let err = OidcConfig::new("http://sso.ws.nl", "a", "b", "https://kcc.ws.nl", None).unwrap_err();
        assert!(err.contains("https://"), "{err}");
        assert!(OidcConfig::new("https://sso.ws.nl", "a", "b", "kcc.ws.nl", None).unwrap_err().contains("public URL"));
    }
}
