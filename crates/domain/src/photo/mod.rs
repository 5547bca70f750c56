//! Photos that citizens attach to a report (melding): what a file is, judged by its content, and
//! the same photo without the metadata a camera or phone writes into it.
//!
//! [`clean`] never trusts a file name or a browser's content type: it reads the magic bytes, walks
//! the real structure of the format and refuses a structure that does not parse
//! ([`PhotoError::Damaged`]) rather than guessing. What stays and what goes:
//!
//! - **JPEG**: the segments from SOI are walked, including the segments between the scans of a
//!   progressive JPEG; the entropy-coded scan data is copied byte for byte. Kept: APP0 JFIF (its
//!   optional embedded thumbnail removed), APP2 `ICC_PROFILE` (colour), APP14 `Adobe` (colour
//!   transform) and the segments a decoder needs (DQT, DHT, DAC, DRI, SOFn, SOS, DNL, DHP, EXP).
//!   Removed: APP1 (Exif, XMP), APP12, APP13 (Photoshop/IPTC), the other APPn, COM, reserved markers,
//!   and anything after EOI (phones append further images there, with their own Exif and GPS). A new
//!   minimal Exif APP1 is written only when there is something to keep: the GPS position (with
//!   consent) and the Orientation tag.
//! - **PNG**: the chunks are walked from IHDR to IEND and only an allowlist is copied (verbatim, so
//!   CRCs stay valid): the critical chunks (IHDR, PLTE, IDAT, IEND) and the ancillary chunks that
//!   say how the pixels look: tRNS, gAMA, cHRM, sRGB, iCCP, cICP, mDCV, cLLI, sBIT, bKGD, hIST and
//!   pHYs (see [`PNG_KEPT`]). Everything else goes: text (tEXt, zTXt, iTXt), eXIf, tIME, C2PA
//!   `caBX`, Apple's `iDOT`, suggested palettes (sPLT, which carry a name), the frames of an
//!   animated PNG (acTL, fcTL, fdAT: the still default image stays) and every private or future
//!   chunk, whatever it holds. A critical chunk outside the list is refused (no decoder could show
//!   the file either); anything after IEND is dropped.
//! - **HEIC/HEIF**: the file keeps its length, because items are addressed by file offsets. Exif
//!   items and XMP items (`mime` with `application/rdf+xml`) are overwritten with zeros, or, with
//!   consent and a GPS position, with a minimal TIFF holding only the GPS position (and
//!   Orientation). Top-level boxes other than `ftyp`, `meta` and `mdat` that hold no item data
//!   (such as `uuid` XMP boxes, a `moov` track with its `udta` location, `free` space with leftovers)
//!   are turned into zero-filled `free` boxes, and bytes of `mdat` that no item refers to are zeroed.
//!
//! Dimensions: a JPEG's frame header, a PNG's IHDR and every HEIC `ispe` property must declare
//! between 1 and [`MAX_PIXELS`] pixels ([`PhotoError::Dimensions`]); a small file can otherwise
//! declare an image that takes gigabytes to decode.
//!
//! Orientation: the Exif Orientation tag (0x0112) is kept in a JPEG even without consent. It says
//! how the camera was held, is not personal data, and without it a photo taken upright shows on its
//! side. (A HEIC photo's rotation is in its `irot` property, not in Exif, so there it is only kept
//! alongside the GPS position.)
//!
//! Location: only with consent (`keep_location`) and only when the Exif holds a latitude and
//! longitude that make sense. A damaged Exif block is not an error: it is removed anyway, and it
//! simply yields no location.
//!
//! Hostile input: every offset is bounds-checked, and the number of boxes, items and extents is
//! capped, so a crafted file costs at most linear time and memory and never panics. A HEIC file
//! names each item once, and the bytes its metadata items make us read and overwrite together
//! are at most the file's length (a budget), so 10,000 items that each cover all media data are
//! refused rather than zeroed 10,000 times.

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// The largest photo accepted: 10 MiB.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// The most pixels a photo may have (width × height): 100 megapixels, more than any phone takes.
/// A small file can declare a huge image that would take gigabytes to decode for a preview.
pub const MAX_PIXELS: u64 = 100_000_000;

/// Brands in an ISO-BMFF `ftyp` box that make the file a HEIC/HEIF photo.
const HEIF_BRANDS: [&[u8; 4]; 8] = [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"];
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// Caps against crafted HEIC files: a real photo has a handful of boxes and at most a few hundred
/// items (tiles of a grid image).
const MAX_BOXES: usize = 10_000;
const MAX_ITEMS: u32 = 10_000;
const MAX_EXTENTS: usize = 100_000;

/// The kinds of photo a citizen may upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhotoFormat {
    Jpeg,
    Png,
    /// HEIC/HEIF, what iPhones and many Android phones take.
    Heic,
}

impl PhotoFormat {
    /// The media type to store and serve the photo with.
    pub fn content_type(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "image/jpeg",
            PhotoFormat::Png => "image/png",
            PhotoFormat::Heic => "image/heic",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpg",
            PhotoFormat::Png => "png",
            PhotoFormat::Heic => "heic",
        }
    }
}

/// Why an uploaded file was refused as a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty; choose a photo")]
    Empty,
    #[error("the file is {bytes} bytes, over the limit of {MAX_PHOTO_BYTES} (10 MiB); choose a smaller photo")]
    TooLarge { bytes: usize },
    /// Judged by the content, not by the file name or the content type the browser sent.
    #[error("the file is not a JPEG, PNG or HEIC photo; choose a photo of one of those types")]
    NotAPhoto,
    /// The format was recognised but its structure does not parse (often an incomplete upload).
    #[error("the photo is damaged or incomplete ({0}); upload it again or choose another photo")]
    Damaged(&'static str),
    /// Zero pixels wide or high, or more than [`MAX_PIXELS`] in all: decoding it would take
    /// gigabytes of memory (a "decompression bomb").
    #[error("the photo is {width}×{height} pixels; a photo must have between 1 and {MAX_PIXELS} pixels")]
    Dimensions { width: u32, height: u32 },
}

impl PhotoError {
    /// What is wrong and how to fix it, in plain Dutch (B1) for the citizen.
    pub fn dutch(&self) -> String {
        match self {
            PhotoError::Empty => "Dit bestand is leeg. Kies een foto en probeer het opnieuw.".into(),
            PhotoError::TooLarge { bytes } => format!(
                "Deze foto is te groot ({}). Een foto mag maximaal 10 MB zijn. Kies een kleinere foto of maak de foto kleiner.",
                megabytes(*bytes)
            ),
            PhotoError::NotAPhoto => "Dit bestand is geen foto. Kies een foto van het type JPEG, PNG of HEIC.".into(),
            PhotoError::Damaged(_) => {
                "Deze foto is beschadigd of niet helemaal verstuurd. Probeer het opnieuw of kies een andere foto."
                    .into()
            }
            PhotoError::Dimensions { width: 0, .. } | PhotoError::Dimensions { height: 0, .. } => {
                "Deze foto heeft geen beeld (0 beeldpunten breed of hoog). Kies een andere foto.".into()
            }
            PhotoError::Dimensions { width, height } => format!(
                "Deze foto heeft te veel beeldpunten ({width} × {height}). Een foto mag maximaal 100 megapixel zijn. \
                 Kies een kleinere foto of maak de foto kleiner."
            ),
        }
    }
}

impl From<PhotoError> for Invalid {
    fn from(e: PhotoError) -> Self {
        Invalid::new("photo", e.to_string())
    }
}

/// Size in MB (MiB) with one decimal, rounded up and written the Dutch way: `10,1 MB`.
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u128 * 10).div_ceil(1024 * 1024);
    format!("{},{} MB", tenths / 10, tenths % 10)
}

/// A point on the earth (WGS 84, decimal degrees), as a camera's GPS recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// A checked photo without its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanPhoto {
    pub format: PhotoFormat,
    pub bytes: Vec<u8>,
    /// Where the photo was taken: only when the citizen agreed to share it and the photo holds it.
    pub location: Option<GeoPoint>,
}

/// The format of a photo, from its first bytes. Anything else (GIF, PDF, a program or text file,
/// whatever its name) is `None`.
pub fn detect(bytes: &[u8]) -> Option<PhotoFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PhotoFormat::Jpeg)
    } else if bytes.starts_with(&PNG_SIGNATURE) {
        Some(PhotoFormat::Png)
    } else if is_heif(bytes) {
        Some(PhotoFormat::Heic)
    } else {
        None
    }
}

/// An ISO-BMFF `ftyp` box at offset 4 whose major or a compatible brand is a HEIF image brand.
fn is_heif(b: &[u8]) -> bool {
    if b.get(4..8) != Some(b"ftyp".as_slice()) {
        return false;
    }
    let end = match be32(b, 0) {
        Some(0) => b.len(),
        Some(size @ 16..) => (size as usize).min(b.len()),
        _ => return false,
    };
    let (Some(major), Some(compatible)) = (b.get(8..12), b.get(16..end)) else {
        return false;
    };
    HEIF_BRANDS.iter().any(|brand| major == *brand || compatible.chunks_exact(4).any(|c| c == *brand))
}

/// Check the content (never trust the file name or the browser's content type), strip metadata.
/// `keep_location`: the citizen agreed to share where the photo was taken.
pub fn clean(bytes: &[u8], keep_location: bool) -> Result<CleanPhoto, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge { bytes: bytes.len() });
    }
    let format = detect(bytes).ok_or(PhotoError::NotAPhoto)?;
    let (cleaned, location) = match format {
        PhotoFormat::Jpeg => clean_jpeg(bytes, keep_location)?,
        PhotoFormat::Png => clean_png(bytes, keep_location)?,
        PhotoFormat::Heic => clean_heic(bytes, keep_location)?,
    };
    Ok(CleanPhoto { format, bytes: cleaned, location: location.filter(|_| keep_location) })
}

/// Refuses an image without pixels or with more than [`MAX_PIXELS`].
fn check_dimensions(width: u32, height: u32) -> Result<(), PhotoError> {
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::Dimensions { width, height });
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Bytes

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(be32(b, at)?) << 32 | u64::from(be32(b, at.checked_add(4)?)?))
}

fn four(b: &[u8], at: usize) -> Option<[u8; 4]> {
    b.get(at..at.checked_add(4)?)?.try_into().ok()
}

mod exif;
mod heic;
mod jpeg;
mod png;
#[cfg(test)]
mod tests;

use exif::*;
use heic::*;
use jpeg::*;
use png::*;
