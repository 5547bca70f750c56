//! The meldingen the benchmarks send: generated deterministically (same run, same meldingen), as
//! a multipart form like a browser sends it, with an optional sample photo.

use gastvrij_app::App;
use gastvrij_app::portal::UploadedPhoto;
use gastvrij_app::ports::NewSubmission;
use gastvrij_domain::audit::Change;
use gastvrij_domain::portal::{SubmissionForm, SubmissionKind};

pub(crate) const BOUNDARY: &str = "----gastvrijbench7MA4YWxkTrZu0gW";

/// A small deterministic generator (xorshift), so every run sends the same meldingen.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(i: usize) -> Self {
        let mut r = Rng((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D);
        r.below(1);
        r
    }
    pub(crate) fn below(&mut self, m: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % m.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WHAT: &[&str] = &[
    "Er drijven dode vissen in de sloot",
    "Het water staat tot over de weg",
    "De stuw zit vast en het water stijgt",
    "Er komt een vieze lucht uit het gemaal",
    "Een boom is in de watergang gevallen",
    "Het gras op de dijk is weggezakt",
    "Er ligt veel afval in de vaart",
    "De kelder loopt vol met water na de regen",
    "Er zit blauwalg in de vijver",
    "Een duiker onder de weg is verstopt",
    "Er lekt olie in het water",
    "Het fietspad langs de dijk is kapot",
    "Er zit een gat in de kade",
    "Muskusratten graven gangen in de oever",
    "De rioolput stroomt over",
];
const WHERE: &[&str] = &[
    "naast het fietspad",
    "achter de basisschool",
    "bij de brug over de Vliet",
    "tegenover de supermarkt",
    "aan het eind van de Molenweg",
    "bij het sportpark",
    "langs de provinciale weg",
    "achter ons huis",
    "bij de speeltuin",
    "naast de boerderij",
];
const MORE: &[&str] = &[
    "Het is al drie dagen zo.",
    "Mijn buren hebben het ook gezien.",
    "Het wordt steeds erger.",
    "Kunt u er snel naar kijken?",
    "Vorig jaar was hier hetzelfde probleem.",
    "Er spelen vaak kinderen in de buurt.",
    "Ik heb er een foto van gemaakt.",
    "Het stinkt behoorlijk.",
    "",
];
const WHEN: &[&str] = &["vanochtend om 8 uur", "gisteravond", "net", "sinds zaterdag", "", "", ""];
const FIRST: &[&str] = &["Jan", "Fatima", "Kees", "Anouk", "Mohamed", "Sanne", "Pieter", "Ilse", "Daan", "Noor"];
const LAST: &[&str] = &["de Vries", "Jansen", "el Amrani", "Bakker", "Visser", "Smit", "van Dijk", "Yilmaz"];

/// Melding `i`: a topic, a description, mostly a postcode and house number, else a described
/// place or a point on the map; mostly contact by e-mail; danger now in 2%.
pub(crate) fn melding(i: usize, topics: &[String]) -> SubmissionForm {
    let mut r = Rng::new(i);
    let mut form = SubmissionForm {
        onderwerp: topics.get(r.below(topics.len())).cloned().unwrap_or_default(),
        omschrijving: format!(
            "{} {}. {} {}",
            r.pick(WHAT),
            r.pick(WHERE),
            r.pick(MORE),
            if r.below(3) == 0 { r.pick(MORE) } else { "" }
        )
        .trim()
        .to_string(),
        wanneer: r.pick(WHEN).to_string(),
        gevaar: if r.below(50) == 0 { "ja" } else { "nee" }.into(),
        ..Default::default()
    };
    match r.below(20) {
        0..=11 => {
            let letters = b"ABCEGHJKLMNPRTVWXZ";
            form.postcode = format!(
                "{} {}{}",
                2000 + r.below(1000),
                letters[r.below(letters.len())] as char,
                letters[r.below(letters.len())] as char
            );
            form.huisnummer = format!("{}{}", 1 + r.below(180), ["", "", "", "a", "b"][r.below(5)]);
        }
        12..=16 => form.plek = format!("{} in {}", r.pick(WHERE), r.pick(&["Waarddorp", "Lagedijk", "Vlietveen"])),
        _ => {
            form.lat = format!("{:.5}", 51.8 + r.below(50_000) as f64 / 100_000.0);
            form.lon = format!("{:.5}", 4.2 + r.below(80_000) as f64 / 100_000.0);
        }
    }
    let name = format!("{} {}", r.pick(FIRST), r.pick(LAST));
    match r.below(10) {
        0..=7 => {
            form.contact = "email".into();
            form.email =
                format!("{}.{}{}@example.nl", name.split(' ').next().unwrap_or("x").to_lowercase(), i, r.below(100));
            form.naam = if r.below(4) == 0 { String::new() } else { name };
        }
        8 => {
            form.contact = "telefoon".into();
            form.telefoon = format!("06{:08}", r.below(100_000_000));
            form.naam = name;
        }
        _ => form.contact = "geen".into(),
    }
    form
}

/// The form as a browser sends it: every field, in page order, an empty file field without a photo.
pub(crate) fn multipart(csrf: &str, f: &SubmissionForm, photo: Option<&[u8]>) -> Vec<u8> {
    let mut b = Vec::with_capacity(2048 + photo.map_or(0, <[u8]>::len));
    let field = |b: &mut Vec<u8>, name: &str, value: &str| {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    };
    for (name, value) in [
        ("csrf", csrf),
        ("website", ""),
        ("omschrijving", &f.omschrijving),
        ("onderwerp", &f.onderwerp),
        ("postcode", &f.postcode),
        ("huisnummer", &f.huisnummer),
        ("plek", &f.plek),
        ("lat", &f.lat),
        ("lon", &f.lon),
        ("wanneer", &f.wanneer),
        ("gevaar", &f.gevaar),
    ] {
        field(&mut b, name, value);
    }
    let (file_name, content_type) =
        if photo.is_some() { ("IMG_2041.jpg", "image/jpeg") } else { ("", "application/octet-stream") };
    b.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fotos\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    b.extend_from_slice(photo.unwrap_or_default());
    b.extend_from_slice(b"\r\n");
    for (name, value) in [("contact", &f.contact), ("naam", &f.naam), ("email", &f.email), ("telefoon", &f.telefoon)] {
        field(&mut b, name, value);
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// A valid baseline JPEG of about 20 KB: JFIF, a comment (stripped on intake), tables, frame,
/// one scan of filler entropy data.
pub(crate) fn sample_jpeg() -> anyhow::Result<Vec<u8>> {
    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        [&[0xFF, marker][..], &((payload.len() + 2) as u16).to_be_bytes(), payload].concat()
    }
    let mut dht = vec![0x00, 1];
    dht.extend([0; 15]);
    dht.push(0);
    let scan: Vec<u8> = (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 % 0xFF).collect();
    let jpeg = [
        vec![0xFF, 0xD8],
        segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x48\x00\x48\x00\x00"),
        segment(0xFE, b"Gemaakt met de telefoon van Jan Jansen"),
        segment(0xDB, &[[0u8].as_slice(), &[1; 64]].concat()),
        segment(0xC0, &[8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
        segment(0xC4, &dht),
        segment(0xDA, &[1, 1, 0x00, 0, 63, 0]),
        scan,
        vec![0xFF, 0xD9],
    ]
    .concat();
    gastvrij_domain::photo::clean(&jpeg, false).map_err(|e| anyhow::anyhow!("the sample JPEG is refused: {e}"))?;
    Ok(jpeg)
}

/// Melding `i` checked and built by `App::prepare_submission`, as `App::submit` builds it.
pub(crate) async fn prepared(
    app: &App,
    form: &SubmissionForm,
    photo: Option<&[u8]>,
) -> anyhow::Result<(NewSubmission, Change)> {
    let photos: Vec<UploadedPhoto> =
        photo.map(|bytes| UploadedPhoto { file_name: "foto.jpg".into(), bytes: bytes.to_vec() }).into_iter().collect();
    let p = app
        .prepare_submission(SubmissionKind::Melding, form, &photos)
        .await
        .map_err(|e| anyhow::anyhow!("a generated melding is refused: {e:?}"))?;
    Ok((p.new, p.change))
}

/// The form cookie (`gv_formulier=…`) a form page sets, as a `Cookie` header value.
pub(crate) fn form_cookie(page: &reqwest::Response) -> Option<String> {
    page.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gv_formulier="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}
