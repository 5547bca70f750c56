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
// JPEG

fn clean_jpeg(b: &[u8], keep_location: bool) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    const CUT: PhotoError = PhotoError::Damaged("the JPEG ends before its end marker");
    let mut jfif: Option<Vec<u8>> = None;
    let mut body = Vec::with_capacity(b.len());
    let mut exif: Option<ExifInfo> = None;
    let (mut frame, mut scan) = (false, false);
    let mut pos = 2; // after SOI
    loop {
        if *b.get(pos).ok_or(CUT)? != 0xFF {
            return Err(PhotoError::Damaged("a JPEG segment does not start with a marker"));
        }
        while b.get(pos) == Some(&0xFF) {
            pos += 1; // fill bytes
        }
        let marker = *b.get(pos).ok_or(CUT)?;
        pos += 1;
        match marker {
            0xD9 => break, // EOI: whatever follows is dropped
            0x01 | 0xD0..=0xD7 => {
                body.extend_from_slice(&[0xFF, marker]); // TEM, RSTn: no length
                continue;
            }
            0x00 | 0xD8 => return Err(PhotoError::Damaged("a JPEG holds a marker where none is allowed")),
            _ => {}
        }
        let length = usize::from(be16(b, pos).ok_or(CUT)?);
        let end = pos + length;
        if length < 2 || end > b.len() {
            return Err(PhotoError::Damaged("a JPEG segment runs past the end of the file"));
        }
        let (with_length, payload) = (&b[pos..end], &b[pos + 2..end]);
        pos = end;
        let keep = match marker {
            0xE0 => {
                // JFIF: keep the 14-byte header, with the thumbnail size set to 0x0.
                if jfif.is_none() && payload.starts_with(b"JFIF\0") && payload.len() >= 14 {
                    let mut segment = vec![0xFF, 0xE0, 0x00, 0x10];
                    segment.extend_from_slice(&payload[..12]);
                    segment.extend_from_slice(&[0, 0]);
                    jfif = Some(segment);
                }
                false
            }
            0xE1 => {
                if exif.is_none() && payload.starts_with(b"Exif\0") {
                    exif = Some(payload.get(6..).and_then(read_exif).unwrap_or_default());
                }
                false
            }
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xEE => payload.starts_with(b"Adobe"),
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                // Precision, then height and width. (A height of 0 deferred to a DNL marker is
                // refused too: no camera writes it.)
                let height = be16(payload, 1).ok_or(PhotoError::Damaged("a JPEG frame header is cut off"))?;
                let width = be16(payload, 3).ok_or(PhotoError::Damaged("a JPEG frame header is cut off"))?;
                check_dimensions(u32::from(width), u32::from(height))?;
                frame = true;
                true
            }
            0xC4 | 0xCC | 0xDB..=0xDF => true,
            0xDA => {
                if !frame {
                    return Err(PhotoError::Damaged("a JPEG scan comes before its frame header"));
                }
                scan = true;
                body.extend_from_slice(&[0xFF, 0xDA]);
                body.extend_from_slice(with_length);
                let scan_end = entropy_end(b, pos);
                body.extend_from_slice(&b[pos..scan_end]);
                pos = scan_end;
                false
            }
            _ => false, // other APPn, COM, reserved and extension markers
        };
        if keep {
            body.extend_from_slice(&[0xFF, marker]);
            body.extend_from_slice(with_length);
        }
    }
    if !scan {
        return Err(PhotoError::Damaged("the JPEG holds no image data"));
    }
    let info = exif.unwrap_or_default();
    let gps = info.gps.filter(|_| keep_location);
    let orientation = info.orientation.filter(|o| (2..=8).contains(o));
    let mut out = Vec::with_capacity(body.len() + 200);
    out.extend_from_slice(&[0xFF, 0xD8]);
    out.extend(jfif.unwrap_or_default());
    if orientation.is_some() || gps.is_some() {
        let tiff = write_tiff(orientation, gps.as_ref());
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes()); // at most ~150 bytes
        out.extend_from_slice(b"Exif\0\0");
        out.extend(tiff);
    }
    out.extend(body);
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok((out, gps.map(|g| g.point)))
}

/// Where the entropy-coded data starting at `pos` ends: at the first marker that is not a stuffed
/// byte (`FF 00`) or a restart marker, or at the end of the file.
fn entropy_end(b: &[u8], mut pos: usize) -> usize {
    while let Some(skip) = b.get(pos..).and_then(|rest| rest.iter().position(|&c| c == 0xFF)) {
        pos += skip;
        match b.get(pos + 1) {
            Some(0x00 | 0xD0..=0xD7) => pos += 2,
            _ => return pos,
        }
    }
    b.len()
}

// ---------------------------------------------------------------------------------------------
// PNG

/// The chunks every PNG decoder knows (a PNG with another critical chunk is refused).
const PNG_CRITICAL: [[u8; 4]; 4] = [*b"IHDR", *b"PLTE", *b"IDAT", *b"IEND"];
/// The ancillary chunks that are kept: how the pixels look (transparency, gamma, chromaticities,
/// colour space, ICC profile, coding-independent code points and HDR mastering/light levels,
/// significant bits, background colour, palette histogram) and the physical pixel size. None of
/// them says who, when, where or with what. An ICC profile may carry a description and copyright
/// text, as in a JPEG, where it is kept too; without it colours would be shown wrongly.
const PNG_KEPT: [[u8; 4]; 12] = [
    *b"tRNS", *b"gAMA", *b"cHRM", *b"sRGB", *b"iCCP", *b"cICP", *b"mDCV", *b"cLLI", *b"sBIT", *b"bKGD", *b"hIST",
    *b"pHYs",
];

fn clean_png(b: &[u8], keep_location: bool) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    const CUT: PhotoError = PhotoError::Damaged("the PNG ends before its end chunk");
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&PNG_SIGNATURE);
    let mut location = None;
    let (mut pos, mut idat) = (PNG_SIGNATURE.len(), false);
    loop {
        let length = be32(b, pos).ok_or(CUT)?;
        if length > 0x7FFF_FFFF {
            return Err(PhotoError::Damaged("a PNG chunk length is out of range"));
        }
        let typ = four(b, pos + 4).ok_or(CUT)?;
        let data_end = pos + 8 + length as usize;
        let end = data_end + 4;
        if end > b.len() {
            return Err(CUT);
        }
        if !typ.iter().all(u8::is_ascii_alphabetic) {
            return Err(PhotoError::Damaged("a PNG chunk has an invalid type"));
        }
        if pos == PNG_SIGNATURE.len() && (&typ != b"IHDR" || length != 13) {
            return Err(PhotoError::Damaged("the PNG does not start with its header chunk"));
        }
        let data = &b[pos + 8..data_end];
        if &typ == b"IHDR" {
            let (width, height) = (be32(data, 0).unwrap_or(0), be32(data, 4).unwrap_or(0));
            check_dimensions(width, height)?;
        }
        match &typ {
            b"IDAT" => idat = true,
            b"eXIf" if keep_location && location.is_none() => {
                let tiff = data.strip_prefix(b"Exif\0\0").unwrap_or(data);
                location = read_exif(tiff).and_then(|info| info.gps).map(|gps| gps.point);
            }
            _ => {}
        }
        let critical = typ[0].is_ascii_uppercase();
        if critical && !PNG_CRITICAL.contains(&typ) {
            // A decoder must refuse a critical chunk it does not know; so do we.
            return Err(PhotoError::Damaged("the PNG holds a critical chunk no decoder knows"));
        }
        if critical || PNG_KEPT.contains(&typ) {
            out.extend_from_slice(&b[pos..end]);
        }
        pos = end;
        if &typ == b"IEND" {
            break; // whatever follows is dropped
        }
    }
    if !idat {
        return Err(PhotoError::Damaged("the PNG holds no image data"));
    }
    Ok((out, location))
}

// ---------------------------------------------------------------------------------------------
// HEIC / HEIF (ISO base media file format)

/// A box: its type, where it starts, where its header ends, where its content starts (after a
/// `uuid` box's user type) and where it ends.
#[derive(Debug, Clone, Copy)]
struct Bmff {
    typ: [u8; 4],
    start: usize,
    header_end: usize,
    body: usize,
    end: usize,
}

/// The boxes from `pos` to `end`, which must tile the range exactly.
fn bmff_boxes(b: &[u8], mut pos: usize, end: usize) -> Result<Vec<Bmff>, PhotoError> {
    const CUT: PhotoError = PhotoError::Damaged("a HEIC box runs past the end of its container");
    let mut boxes = Vec::new();
    while pos < end {
        if boxes.len() == MAX_BOXES {
            return Err(PhotoError::Damaged("a HEIC container holds too many boxes"));
        }
        let rest = end - pos;
        if rest < 8 {
            return Err(CUT);
        }
        let typ = four(b, pos + 4).ok_or(CUT)?;
        let (header, size) = match be32(b, pos).ok_or(CUT)? {
            0 => (8, rest),
            1 if rest >= 16 => (16, be64(b, pos + 8).and_then(|s| usize::try_from(s).ok()).ok_or(CUT)?),
            1 => return Err(CUT),
            size => (8, size as usize),
        };
        if size < header || size > rest {
            return Err(CUT);
        }
        let body = if &typ == b"uuid" { pos + header + 16 } else { pos + header };
        if body > pos + size {
            return Err(CUT);
        }
        boxes.push(Bmff { typ, start: pos, header_end: pos + header, body, end: pos + size });
        pos += size;
    }
    Ok(boxes)
}

/// Items whose data is metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaItem {
    Exif,
    Xmp,
}

/// An `iloc` entry: where an item's data is.
#[derive(Debug, Clone)]
struct ItemLocation {
    id: u32,
    construction_method: u8,
    data_reference_index: u16,
    base_offset: u64,
    /// (offset, length); length 0 means "to the end of the data".
    extents: Vec<(u64, u64)>,
}

/// The bytes a photo's cleaning may read and write in metadata items: at most the file's length,
/// so a crafted file with many items that each cover all media data costs linear time, not
/// items × length.
#[derive(Debug)]
struct Budget {
    left: usize,
    spent: usize,
}

impl Budget {
    fn new(bytes: usize) -> Self {
        Self { left: bytes, spent: 0 }
    }

    fn spend(&mut self, bytes: usize) -> Result<(), PhotoError> {
        self.left = self.left.checked_sub(bytes).ok_or(PhotoError::Damaged("the HEIC metadata items overlap"))?;
        self.spent += bytes;
        Ok(())
    }
}

fn clean_heic(b: &[u8], keep_location: bool) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    clean_heic_within(b, keep_location, &mut Budget::new(b.len()))
}

fn clean_heic_within(
    b: &[u8],
    keep_location: bool,
    budget: &mut Budget,
) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    let top = bmff_boxes(b, 0, b.len())?;
    if top.first().map(|t| &t.typ) != Some(b"ftyp") {
        return Err(PhotoError::Damaged("the HEIC file does not start with its file type box"));
    }
    let mut metas = top.iter().filter(|t| &t.typ == b"meta");
    // Without a meta box there is no image item: an image sequence or video, not a photo.
    let meta = *metas.next().ok_or(PhotoError::NotAPhoto)?;
    if metas.next().is_some() {
        return Err(PhotoError::Damaged("the HEIC file holds more than one meta box"));
    }
    let mut r = Reader::new(b, meta.body, meta.end, "the HEIC meta box is cut off");
    if r.u8()? != 0 {
        return Err(PhotoError::Damaged("the HEIC meta box has an unknown version"));
    }
    r.take(3)?;
    let children = bmff_boxes(b, r.pos, meta.end)?;
    let only = |typ: &[u8; 4]| -> Result<Option<Bmff>, PhotoError> {
        let mut found = children.iter().filter(|c| &c.typ == typ);
        let first = found.next().copied();
        if found.next().is_some() {
            return Err(PhotoError::Damaged("the HEIC meta box holds a box twice"));
        }
        Ok(first)
    };
    let meta_items = only(b"iinf")?.map(|iinf| parse_iinf(b, iinf)).transpose()?.unwrap_or_default();
    let locations = only(b"iloc")?.map(|iloc| parse_iloc(b, iloc)).transpose()?.unwrap_or_default();
    let idat = only(b"idat")?;
    let references = only(b"dinf")?.map(|dinf| self_contained_references(b, dinf)).transpose()?.unwrap_or_default();
    let in_this_file = |index: u16| index == 0 || references.get(usize::from(index) - 1) == Some(&true);
    let iprp = only(b"iprp")?.ok_or(PhotoError::Damaged("the HEIC file has no item properties"))?;
    check_image_sizes(b, iprp)?;

    let mut out = b.to_vec();
    let mut location = None;
    let mut used = Vec::new();
    for item in &locations {
        let kind = meta_items.binary_search_by_key(&item.id, |&(id, _)| id).ok().map(|i| meta_items[i].1);
        if !in_this_file(item.data_reference_index) || item.construction_method > 1 {
            // The data is in another file or made from other items' data (located by their own entries).
            if kind.is_some() {
                return Err(PhotoError::Damaged("a HEIC metadata item's data cannot be located"));
            }
            continue;
        }
        let ranges = locate(item, b.len(), idat)?;
        used.extend_from_slice(&ranges);
        let Some(kind) = kind else { continue };
        // Metadata lives in media data: never let a (crafted) item make us overwrite the structure.
        let in_media_data = |&(start, end): &(usize, usize)| {
            item.construction_method == 1 || top.iter().any(|t| &t.typ == b"mdat" && t.body <= start && end <= t.end)
        };
        if !ranges.iter().all(in_media_data) {
            return Err(PhotoError::Damaged("a HEIC metadata item lies outside the media data"));
        }
        let total = ranges.iter().fold(0usize, |sum, (start, end)| sum.saturating_add(end - start));
        let mut fill = Vec::new();
        if kind == MetaItem::Exif && keep_location {
            budget.spend(total)?; // reading the item
            let payload: Vec<u8> = ranges.iter().flat_map(|&(start, end)| &b[start..end]).copied().collect();
            if let Some(info) = read_heif_exif(&payload)
                && let Some(gps) = info.gps
            {
                location.get_or_insert(gps.point);
                let tiff = write_tiff(info.orientation.filter(|o| (2..=8).contains(o)), Some(&gps));
                if 4 + tiff.len() <= total {
                    fill.extend_from_slice(&[0, 0, 0, 0]); // the TIFF header follows directly
                    fill.extend(tiff);
                }
            }
        }
        budget.spend(total)?; // overwriting the item
        let mut fill = fill.as_slice();
        for &(start, end) in &ranges {
            let target = &mut out[start..end];
            let n = fill.len().min(target.len());
            target[..n].copy_from_slice(&fill[..n]);
            target[n..].fill(0);
            fill = &fill[n..];
        }
    }

    let used = merge(used);
    let holds_item_data =
        |start: usize, end: usize| used.get(used.partition_point(|&(_, e)| e <= start)).is_some_and(|&(s, _)| s < end);
    for t in &top {
        match &t.typ {
            b"ftyp" | b"meta" => {}
            b"mdat" => {
                // Zero what no item refers to: leftovers of earlier edits, old metadata.
                let mut cursor = t.body;
                for &(s, e) in &used[used.partition_point(|&(_, e)| e <= cursor)..] {
                    if s >= t.end {
                        break;
                    }
                    if s > cursor {
                        out[cursor..s].fill(0);
                    }
                    cursor = cursor.max(e);
                }
                if cursor < t.end {
                    out[cursor..t.end].fill(0);
                }
            }
            _ if !holds_item_data(t.start, t.end) => {
                out[t.start + 4..t.start + 8].copy_from_slice(b"free");
                out[t.header_end..t.end].fill(0);
            }
            _ => {}
        }
    }
    Ok((out, location))
}

/// The metadata items (Exif, XMP) named in `iinf`, sorted by item id.
fn parse_iinf(b: &[u8], iinf: Bmff) -> Result<Vec<(u32, MetaItem)>, PhotoError> {
    let mut r = Reader::new(b, iinf.body, iinf.end, "the HEIC item information box is cut off");
    let version = r.u8()?;
    r.take(if version == 0 { 3 + 2 } else { 3 + 4 })?; // flags, entry count (the boxes are counted instead)
    let mut items = Vec::new();
    for infe in bmff_boxes(b, r.pos, iinf.end)? {
        if &infe.typ != b"infe" {
            continue;
        }
        let mut r = Reader::new(b, infe.body, infe.end, "a HEIC item information entry is cut off");
        let version = r.u8()?;
        r.take(3)?;
        let item = match version {
            0 | 1 => {
                let id = u32::from(r.u16()?);
                r.u16()?; // protection index
                r.cstr(); // name
                is_xmp(r.cstr()).then_some((id, MetaItem::Xmp))
            }
            2 | 3 => {
                let id = if version == 2 { u32::from(r.u16()?) } else { r.u32()? };
                r.u16()?; // protection index
                let item_type = r.take(4)?;
                r.cstr(); // name
                match item_type {
                    b"Exif" => Some((id, MetaItem::Exif)),
                    b"mime" if is_xmp(r.cstr()) => Some((id, MetaItem::Xmp)),
                    _ => None,
                }
            }
            _ => return Err(PhotoError::Damaged("a HEIC item information entry has an unknown version")),
        };
        items.extend(item);
    }
    items.sort_unstable_by_key(|&(id, _)| id);
    Ok(items)
}

/// Every image size (`ispe`) in the item properties must be sensible, and there must be one: HEIF
/// requires it for every image item.
fn check_image_sizes(b: &[u8], iprp: Bmff) -> Result<(), PhotoError> {
    let mut sizes = 0;
    for ipco in bmff_boxes(b, iprp.body, iprp.end)?.into_iter().filter(|c| &c.typ == b"ipco") {
        for ispe in bmff_boxes(b, ipco.body, ipco.end)?.into_iter().filter(|c| &c.typ == b"ispe") {
            let mut r = Reader::new(b, ispe.body, ispe.end, "a HEIC image size property is cut off");
            r.take(4)?; // version, flags
            check_dimensions(r.u32()?, r.u32()?)?;
            sizes += 1;
        }
    }
    if sizes == 0 {
        return Err(PhotoError::Damaged("the HEIC file does not say how large its image is"));
    }
    Ok(())
}

/// For each `dref` entry (data reference 1, 2, …): whether it means "this file" (`url ` with flag 1).
fn self_contained_references(b: &[u8], dinf: Bmff) -> Result<Vec<bool>, PhotoError> {
    let Some(dref) = bmff_boxes(b, dinf.body, dinf.end)?.into_iter().find(|c| &c.typ == b"dref") else {
        return Ok(Vec::new());
    };
    let mut r = Reader::new(b, dref.body, dref.end, "the HEIC data reference box is cut off");
    r.take(4 + 4)?; // version, flags, entry count (the boxes are counted instead)
    bmff_boxes(b, r.pos, dref.end)?
        .iter()
        .map(|entry| {
            let flags = Reader::new(b, entry.body, entry.end, "a HEIC data reference is cut off").take(4)?;
            Ok(&entry.typ == b"url " && flags[3] & 1 == 1)
        })
        .collect()
}

/// An XMP content type, `application/rdf+xml`, possibly with parameters.
fn is_xmp(content_type: &[u8]) -> bool {
    let essence = content_type.split(|&c| c == b';').next().unwrap_or_default();
    essence.trim_ascii().eq_ignore_ascii_case(b"application/rdf+xml")
}

/// The entries of `iloc`, versions 0, 1 and 2.
fn parse_iloc(b: &[u8], iloc: Bmff) -> Result<Vec<ItemLocation>, PhotoError> {
    let mut r = Reader::new(b, iloc.body, iloc.end, "the HEIC item location box is cut off");
    let version = r.u8()?;
    if version > 2 {
        return Err(PhotoError::Damaged("the HEIC item location box has an unknown version"));
    }
    r.take(3)?;
    let sizes = r.u8()?;
    let more_sizes = r.u8()?;
    let (offset_size, length_size, base_offset_size) = (sizes >> 4, sizes & 0x0F, more_sizes >> 4);
    let index_size = if version == 0 { 0 } else { more_sizes & 0x0F };
    let count = if version < 2 { u32::from(r.u16()?) } else { r.u32()? };
    if count > MAX_ITEMS {
        return Err(PhotoError::Damaged("the HEIC file holds too many items"));
    }
    let (mut locations, mut extents_seen) = (Vec::new(), 0);
    for _ in 0..count {
        let id = if version < 2 { u32::from(r.u16()?) } else { r.u32()? };
        let construction_method = if version == 0 { 0 } else { (r.u16()? & 0x0F) as u8 };
        let data_reference_index = r.u16()?;
        let base_offset = r.uint(base_offset_size)?;
        let extent_count = usize::from(r.u16()?);
        extents_seen += extent_count;
        if extents_seen > MAX_EXTENTS {
            return Err(PhotoError::Damaged("the HEIC file holds too many item extents"));
        }
        let mut extents = Vec::with_capacity(extent_count);
        for _ in 0..extent_count {
            r.uint(index_size)?;
            extents.push((r.uint(offset_size)?, r.uint(length_size)?));
        }
        locations.push(ItemLocation { id, construction_method, data_reference_index, base_offset, extents });
    }
    let mut ids: Vec<u32> = locations.iter().map(|l| l.id).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(PhotoError::Damaged("the HEIC item location box names an item twice"));
    }
    Ok(locations)
}

/// The byte ranges of an item stored in this file (construction method 0: file offsets, 1: offsets
/// in the `idat` box).
fn locate(item: &ItemLocation, file_len: usize, idat: Option<Bmff>) -> Result<Vec<(usize, usize)>, PhotoError> {
    const OUTSIDE: PhotoError = PhotoError::Damaged("a HEIC item's data lies outside the file");
    let (origin, limit) = match item.construction_method {
        0 => (0, file_len),
        _ => {
            let idat = idat.ok_or(PhotoError::Damaged("a HEIC item refers to a missing idat box"))?;
            (idat.body, idat.end)
        }
    };
    let (origin, limit) = (origin as u64, limit as u64);
    item.extents
        .iter()
        .map(|&(offset, length)| {
            let start = origin.checked_add(item.base_offset).and_then(|s| s.checked_add(offset)).ok_or(OUTSIDE)?;
            let end = if length == 0 { limit } else { start.checked_add(length).ok_or(OUTSIDE)? };
            if start > end || end > limit {
                return Err(OUTSIDE);
            }
            Ok((start as usize, end as usize))
        })
        .collect()
}

/// Sorted, non-overlapping ranges covering the same bytes.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.retain(|(start, end)| start < end);
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A HEIF Exif item: a 4-byte offset to the TIFF header, then (usually) `Exif\0\0` and the TIFF.
fn read_heif_exif(payload: &[u8]) -> Option<ExifInfo> {
    let offset = usize::try_from(be32(payload, 0)?).ok()?;
    let tiff = payload.get(4usize.checked_add(offset)?..)?;
    read_exif(tiff.strip_prefix(b"Exif\0\0").unwrap_or(tiff))
}

/// Reads big-endian fields of a box, failing with one message when the box is too short.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    end: usize,
    cut: PhotoError,
}

impl<'a> Reader<'a> {
    /// `pos <= end <= b.len()`, as the box walker guarantees.
    fn new(b: &'a [u8], pos: usize, end: usize, cut: &'static str) -> Self {
        Self { b, pos, end, cut: PhotoError::Damaged(cut) }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], PhotoError> {
        if self.end.saturating_sub(self.pos) < n {
            return Err(self.cut);
        }
        let bytes = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn u8(&mut self) -> Result<u8, PhotoError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, PhotoError> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }

    fn u32(&mut self) -> Result<u32, PhotoError> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// An unsigned field of 0, 4 or 8 bytes, as `iloc` declares its sizes.
    fn uint(&mut self, size: u8) -> Result<u64, PhotoError> {
        match size {
            0 => Ok(0),
            4 => self.u32().map(u64::from),
            8 => Ok(u64::from(self.u32()?) << 32 | u64::from(self.u32()?)),
            _ => Err(PhotoError::Damaged("the HEIC item location box declares an invalid field size")),
        }
    }

    /// A NUL-terminated string; a missing terminator ends it at the end of the box.
    fn cstr(&mut self) -> &'a [u8] {
        let rest = &self.b[self.pos..self.end];
        match rest.iter().position(|&c| c == 0) {
            Some(n) => {
                self.pos += n + 1;
                &rest[..n]
            }
            None => {
                self.pos = self.end;
                rest
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Exif (TIFF)

const TAG_ORIENTATION: u16 = 0x0112;
const TAG_GPS_IFD: u16 = 0x8825;
const GPS_LATITUDE_REF: u16 = 1;
const GPS_LATITUDE: u16 = 2;
const GPS_LONGITUDE_REF: u16 = 3;
const GPS_LONGITUDE: u16 = 4;
const TYPE_BYTE: u16 = 1;
const TYPE_ASCII: u16 = 2;
const TYPE_SHORT: u16 = 3;
const TYPE_LONG: u16 = 4;
const TYPE_RATIONAL: u16 = 5;
const TYPE_UNDEFINED: u16 = 7;
const TYPE_SRATIONAL: u16 = 10;
const TYPE_IFD: u16 = 13;

/// What is worth keeping from an Exif block.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ExifInfo {
    /// 1..=8.
    orientation: Option<u16>,
    gps: Option<Gps>,
}

/// A GPS position as the camera wrote it (to write it back with the same precision) and in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Gps {
    /// `N` or `S`.
    lat_ref: u8,
    /// Degrees, minutes, seconds.
    lat: [(u32, u32); 3],
    /// `E` or `W`.
    lon_ref: u8,
    lon: [(u32, u32); 3],
    point: GeoPoint,
}

/// A TIFF structure in either byte order.
struct Tiff<'a> {
    d: &'a [u8],
    little_endian: bool,
}

/// An IFD entry: its type, count and where its value is (inline or at an offset), bounds-checked.
#[derive(Debug, Clone, Copy)]
struct Entry {
    typ: u16,
    count: u32,
    value: usize,
}

impl<'a> Tiff<'a> {
    fn new(d: &'a [u8]) -> Option<Self> {
        let little_endian = match d.get(..4)? {
            [b'I', b'I', 42, 0] => true,
            [b'M', b'M', 0, 42] => false,
            _ => return None,
        };
        Some(Self { d, little_endian })
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let s = self.d.get(at..at.checked_add(2)?)?;
        let bytes = [s[0], s[1]];
        Some(if self.little_endian { u16::from_le_bytes(bytes) } else { u16::from_be_bytes(bytes) })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let s = self.d.get(at..at.checked_add(4)?)?;
        let bytes = [s[0], s[1], s[2], s[3]];
        Some(if self.little_endian { u32::from_le_bytes(bytes) } else { u32::from_be_bytes(bytes) })
    }

    fn ifd0(&self) -> Option<usize> {
        usize::try_from(self.u32(4)?).ok()
    }

    fn entry_count(&self, ifd: usize) -> Option<usize> {
        self.u16(ifd).map(usize::from)
    }

    /// The `i`th entry's tag of the IFD at `ifd`.
    fn tag(&self, ifd: usize, i: usize) -> Option<u16> {
        self.u16(ifd.checked_add(2 + 12 * i)?)
    }

    /// The offset of the next IFD after the one at `ifd` (0: none).
    #[cfg(test)]
    fn next_ifd(&self, ifd: usize) -> Option<u32> {
        self.u32(ifd.checked_add(2 + 12 * self.entry_count(ifd)?)?)
    }

    /// The entry with `tag` in the IFD at `ifd`, if it is there and its value lies inside the data.
    fn find(&self, ifd: usize, tag: u16) -> Option<Entry> {
        let at = (0..self.entry_count(ifd)?).find(|&i| self.tag(ifd, i) == Some(tag))?;
        self.entry(ifd + 2 + 12 * at)
    }

    fn entry(&self, at: usize) -> Option<Entry> {
        let typ = self.u16(at + 2)?;
        let count = self.u32(at + 4)?;
        let unit: usize = match typ {
            1 | 2 | 6 | 7 => 1,
            3 | 8 => 2,
            4 | 9 | 11 | 13 => 4,
            5 | 10 | 12 => 8,
            _ => return None,
        };
        let size = usize::try_from(count).ok()?.checked_mul(unit)?;
        let value = if size <= 4 { at + 8 } else { usize::try_from(self.u32(at + 8)?).ok()? };
        (value.checked_add(size)? <= self.d.len()).then_some(Entry { typ, count, value })
    }
}

/// Orientation and GPS position from a TIFF structure (the Exif body after `Exif\0\0`).
fn read_exif(tiff: &[u8]) -> Option<ExifInfo> {
    let t = Tiff::new(tiff)?;
    let ifd0 = t.ifd0()?;
    let orientation = t
        .find(ifd0, TAG_ORIENTATION)
        .filter(|e| e.typ == TYPE_SHORT && e.count >= 1)
        .and_then(|e| t.u16(e.value))
        .filter(|o| (1..=8).contains(o));
    let gps = t
        .find(ifd0, TAG_GPS_IFD)
        .filter(|e| matches!(e.typ, TYPE_LONG | TYPE_IFD) && e.count >= 1)
        .and_then(|e| t.u32(e.value))
        .and_then(|ifd| read_gps(&t, usize::try_from(ifd).ok()?));
    Some(ExifInfo { orientation, gps })
}

fn read_gps(t: &Tiff, ifd: usize) -> Option<Gps> {
    let reference = |tag| {
        let e = t.find(ifd, tag).filter(|e| matches!(e.typ, TYPE_ASCII | TYPE_BYTE | TYPE_UNDEFINED))?;
        (e.count >= 1).then(|| t.d[e.value].to_ascii_uppercase())
    };
    let dms = |tag| {
        let e = t.find(ifd, tag).filter(|e| matches!(e.typ, TYPE_RATIONAL | TYPE_SRATIONAL) && e.count >= 1)?;
        let mut parts = [(0, 1); 3];
        for (i, part) in parts.iter_mut().enumerate().take(e.count.min(3) as usize) {
            let (n, d) = (t.u32(e.value + 8 * i)?, t.u32(e.value + 8 * i + 4)?);
            if e.typ == TYPE_SRATIONAL && ((n as i32) < 0 || (d as i32) < 0) {
                return None;
            }
            *part = (n, d);
        }
        Some(parts)
    };
    let (lat_ref, lat, lon_ref, lon) =
        (reference(GPS_LATITUDE_REF)?, dms(GPS_LATITUDE)?, reference(GPS_LONGITUDE_REF)?, dms(GPS_LONGITUDE)?);
    let lat_sign = match lat_ref {
        b'N' => 1.0,
        b'S' => -1.0,
        _ => return None,
    };
    let lon_sign = match lon_ref {
        b'E' => 1.0,
        b'W' => -1.0,
        _ => return None,
    };
    let point = GeoPoint { lat: lat_sign * degrees(lat)?, lon: lon_sign * degrees(lon)? };
    // Also refuses NaN.
    if !(point.lat.abs() <= 90.0 && point.lon.abs() <= 180.0) {
        return None;
    }
    Some(Gps { lat_ref, lat, lon_ref, lon, point })
}

/// Degrees from degrees, minutes and seconds; `0/0` (an unset part) counts as 0.
fn degrees(dms: [(u32, u32); 3]) -> Option<f64> {
    let mut total = 0.0;
    for ((n, d), scale) in dms.into_iter().zip([1.0, 60.0, 3600.0]) {
        total += match (n, d) {
            (0, 0) => 0.0,
            (_, 0) => return None,
            (n, d) => f64::from(n) / f64::from(d) / scale,
        };
    }
    Some(total)
}

/// A minimal little-endian TIFF: IFD0 with only Orientation and the GPS IFD pointer, a GPS IFD
/// with only latitude and longitude (with their references), and no further IFD (no thumbnail).
fn write_tiff(orientation: Option<u16>, gps: Option<&Gps>) -> Vec<u8> {
    fn entry(t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]) {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    }
    let ifd0_entries = u16::from(orientation.is_some()) + u16::from(gps.is_some());
    let gps_ifd = 8 + 2 + 12 * u32::from(ifd0_entries) + 4;
    let mut t = Vec::with_capacity(140);
    t.extend_from_slice(b"II*\0");
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&ifd0_entries.to_le_bytes());
    if let Some(o) = orientation {
        let [lo, hi] = o.to_le_bytes();
        entry(&mut t, TAG_ORIENTATION, TYPE_SHORT, 1, [lo, hi, 0, 0]);
    }
    if gps.is_some() {
        entry(&mut t, TAG_GPS_IFD, TYPE_LONG, 1, gps_ifd.to_le_bytes());
    }
    t.extend_from_slice(&0u32.to_le_bytes());
    if let Some(g) = gps {
        let data = gps_ifd + 2 + 12 * 4 + 4;
        t.extend_from_slice(&4u16.to_le_bytes());
        entry(&mut t, GPS_LATITUDE_REF, TYPE_ASCII, 2, [g.lat_ref, 0, 0, 0]);
        entry(&mut t, GPS_LATITUDE, TYPE_RATIONAL, 3, data.to_le_bytes());
        entry(&mut t, GPS_LONGITUDE_REF, TYPE_ASCII, 2, [g.lon_ref, 0, 0, 0]);
        entry(&mut t, GPS_LONGITUDE, TYPE_RATIONAL, 3, (data + 24).to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        for (n, d) in g.lat.iter().chain(&g.lon) {
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&d.to_le_bytes());
        }
    }
    t
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

#[cfg(test)]
mod tests {
    use super::*;

    // ---- Building test files ------------------------------------------------------------------

    enum V<'a> {
        Ascii(&'a str),
        Short(u16),
        Long(u32),
        Rational(&'a [(u32, u32)]),
    }

    fn w16(le: bool, v: u16) -> [u8; 2] {
        if le { v.to_le_bytes() } else { v.to_be_bytes() }
    }

    fn w32(le: bool, v: u32) -> [u8; 4] {
        if le { v.to_le_bytes() } else { v.to_be_bytes() }
    }

    /// An IFD placed at `start`, followed by the values that do not fit in its entries.
    fn ifd(le: bool, start: usize, entries: &[(u16, &V)]) -> Vec<u8> {
        let data_at = start + 2 + 12 * entries.len() + 4;
        let (mut head, mut data) = (Vec::new(), Vec::new());
        head.extend(w16(le, entries.len() as u16));
        for (tag, value) in entries {
            let (typ, count, bytes): (u16, usize, Vec<u8>) = match value {
                V::Ascii(s) => (2, s.len() + 1, [s.as_bytes(), &[0]].concat()),
                V::Short(v) => (3, 1, w16(le, *v).to_vec()),
                V::Long(v) => (4, 1, w32(le, *v).to_vec()),
                V::Rational(r) => {
                    (5, r.len(), r.iter().flat_map(|&(n, d)| [w32(le, n), w32(le, d)]).flatten().collect())
                }
            };
            head.extend(w16(le, *tag));
            head.extend(w16(le, typ));
            head.extend(w32(le, count as u32));
            if bytes.len() <= 4 {
                let mut inline = bytes.clone();
                inline.resize(4, 0);
                head.extend(inline);
            } else {
                head.extend(w32(le, (data_at + data.len()) as u32));
                data.extend(&bytes);
                if data.len() % 2 == 1 {
                    data.push(0);
                }
            }
        }
        head.extend(w32(le, 0));
        head.extend(data);
        head
    }

    /// A TIFF with the `ifd0` entries and, unless `gps` is empty, a GPS IFD.
    fn tiff(le: bool, ifd0: &[(u16, V)], gps: &[(u16, V)]) -> Vec<u8> {
        let mut out = if le { b"II*\0".to_vec() } else { b"MM\0*".to_vec() };
        out.extend(w32(le, 8));
        let mut entries: Vec<(u16, &V)> = ifd0.iter().map(|(t, v)| (*t, v)).collect();
        if gps.is_empty() {
            out.extend(ifd(le, 8, &entries));
            return out;
        }
        let probe = V::Long(0);
        entries.push((TAG_GPS_IFD, &probe));
        let gps_at = 8 + ifd(le, 8, &entries).len();
        let pointer = V::Long(gps_at as u32);
        entries.pop();
        entries.push((TAG_GPS_IFD, &pointer));
        out.extend(ifd(le, 8, &entries));
        out.extend(ifd(le, gps_at, &gps.iter().map(|(t, v)| (*t, v)).collect::<Vec<_>>()));
        out
    }

    const AMSTERDAM_LAT: [(u32, u32); 3] = [(52, 1), (22, 1), (0, 1)];
    const AMSTERDAM_LON: [(u32, u32); 3] = [(4, 1), (54, 1), (0, 1)];

    /// What a camera writes: make, model, orientation, time, owner and a GPS position (52°22'N 4°54'E).
    fn camera_exif(le: bool) -> Vec<u8> {
        tiff(
            le,
            &[
                (0x010F, V::Ascii("Canon")),
                (0x0110, V::Ascii("Canon EOS 5D Mark IV")),
                (TAG_ORIENTATION, V::Short(6)),
                (0x0132, V::Ascii("2024:05:01 12:34:56")),
                (0x013B, V::Ascii("Jan Jansen")),
            ],
            &[
                (GPS_LATITUDE_REF, V::Ascii("N")),
                (GPS_LATITUDE, V::Rational(&AMSTERDAM_LAT)),
                (GPS_LONGITUDE_REF, V::Ascii("E")),
                (GPS_LONGITUDE, V::Rational(&AMSTERDAM_LON)),
            ],
        )
    }

    /// Byte patterns that must not survive cleaning.
    const SECRETS: [&[u8]; 7] =
        [b"Canon", b"Jan Jansen", b"2024:05:01", b"xmpmeta", b"Photoshop", b"Made by", b"LEFTOVER"];

    fn gps_bytes() -> Vec<Vec<u8>> {
        [true, false]
            .into_iter()
            .flat_map(|le| {
                [[w32(le, 52), w32(le, 1)].concat(), [w32(le, 54), w32(le, 1)].concat(), w16(le, TAG_GPS_IFD).to_vec()]
            })
            .collect()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn assert_no_secrets(bytes: &[u8]) {
        for secret in SECRETS {
            assert!(!contains(bytes, secret), "{:?} survived", String::from_utf8_lossy(secret));
        }
    }

    fn assert_amsterdam(location: Option<GeoPoint>) {
        let p = location.expect("a location");
        assert!((p.lat - 52.366_667).abs() < 1e-5 && (p.lon - 4.9).abs() < 1e-9, "{p:?}");
    }

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        [&[0xFF, marker][..], &((payload.len() + 2) as u16).to_be_bytes(), payload].concat()
    }

    const SCAN: &[u8] = &[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xBC];
    const JFIF: &[u8] = b"JFIF\0\x01\x01\x00\x00\x48\x00\x48\x00\x00";

    fn frame_segments() -> Vec<u8> {
        let mut dht = vec![0x00, 1];
        dht.extend([0; 15]);
        dht.push(0);
        [
            segment(0xDB, &[[0u8].as_slice(), &[1; 64]].concat()),
            segment(0xC0, &[8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
            segment(0xC4, &dht),
        ]
        .concat()
    }

    fn jpeg_with(exif: &[u8]) -> Vec<u8> {
        [
            vec![0xFF, 0xD8],
            segment(0xE0, JFIF),
            segment(0xE1, &[b"Exif\0\0".as_slice(), exif].concat()),
            segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Jan Jansen</x:xmpmeta>"),
            segment(0xE2, b"ICC_PROFILE\0\x01\x01colour-profile"),
            segment(0xE2, b"MPF\0MM\0*Canon"),
            segment(0xED, b"Photoshop 3.0\08BIM\x04\x04byline Jan Jansen"),
            segment(0xEC, b"Ducky\0Jan Jansen"),
            segment(0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
            segment(0xFE, b"Made by Jan Jansen on holiday"),
            frame_segments(),
            segment(0xDA, &[1, 1, 0x00, 0, 63, 0]),
            SCAN.to_vec(),
            vec![0xFF, 0xD9],
            // A second image appended by the phone, with its own metadata.
            b"\xFF\xD8\xFF\xE1Exif\0\0MM Canon Jan Jansen".to_vec(),
        ]
        .concat()
    }

    fn jpeg() -> Vec<u8> {
        jpeg_with(&camera_exif(false))
    }

    /// The segments of a well-formed JPEG up to and including SOS: (marker, payload).
    fn segments(b: &[u8]) -> Vec<(u8, &[u8])> {
        let (mut pos, mut out) = (2, Vec::new());
        loop {
            assert_eq!(b[pos], 0xFF);
            let marker = b[pos + 1];
            let len = usize::from(be16(b, pos + 2).unwrap());
            out.push((marker, &b[pos + 4..pos + 2 + len]));
            pos += 2 + len;
            if marker == 0xDA {
                return out;
            }
        }
    }

    fn exif_of_jpeg(b: &[u8]) -> Option<&[u8]> {
        segments(b).into_iter().find(|(m, p)| *m == 0xE1 && p.starts_with(b"Exif\0\0")).map(|(_, p)| &p[6..])
    }

    /// The tags of an IFD, in order.
    fn tags(t: &Tiff, ifd: usize) -> Vec<u16> {
        (0..t.entry_count(ifd).unwrap()).map(|i| t.tag(ifd, i).unwrap()).collect()
    }

    /// Check that `tiff` is the minimal TIFF: Orientation (if given), GPS pointer, 4 GPS tags, no IFD1.
    fn assert_minimal_gps_tiff(tiff: &[u8], orientation: Option<u16>) {
        let t = Tiff::new(tiff).unwrap();
        let ifd0 = t.ifd0().unwrap();
        let expected: Vec<u16> = orientation.map(|_| TAG_ORIENTATION).into_iter().chain([TAG_GPS_IFD]).collect();
        assert_eq!(tags(&t, ifd0), expected);
        assert_eq!(t.next_ifd(ifd0), Some(0), "no IFD1, so no thumbnail");
        let gps_ifd = t.u32(t.find(ifd0, TAG_GPS_IFD).unwrap().value).unwrap() as usize;
        assert_eq!(tags(&t, gps_ifd), [1, 2, 3, 4]);
        assert_eq!(t.next_ifd(gps_ifd), Some(0));
        let info = read_exif(tiff).unwrap();
        assert_eq!(info.orientation, orientation);
        assert_amsterdam(info.gps.map(|g| g.point));
        assert_eq!(tiff.len(), if orientation.is_some() { 140 } else { 128 });
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn chunk(typ: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let crc = crc32(&[typ.as_slice(), data].concat());
        [&(data.len() as u32).to_be_bytes()[..], typ, data, &crc.to_be_bytes()].concat()
    }

    /// One pixel, 8-bit RGB.
    const IHDR_1X1: [u8; 13] = [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

    fn png() -> Vec<u8> {
        [
            PNG_SIGNATURE.to_vec(),
            chunk(b"IHDR", &IHDR_1X1),
            chunk(b"tEXt", b"Author\0Jan Jansen"),
            chunk(b"eXIf", &camera_exif(true)),
            chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
            chunk(b"tIME", &[0x07, 0xE8, 5, 1, 12, 34, 56]),
            chunk(b"IDAT", b"compressed-pixels"),
            chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>Jan Jansen</x:xmpmeta>"),
            chunk(b"IEND", &[]),
            b"trailing Canon".to_vec(),
        ]
        .concat()
    }

    /// The chunk types of a well-formed PNG, checking each CRC on the way.
    fn chunk_types(b: &[u8]) -> Vec<[u8; 4]> {
        let (mut pos, mut out) = (8, Vec::new());
        while pos < b.len() {
            let len = be32(b, pos).unwrap() as usize;
            assert_eq!(crc32(&b[pos + 4..pos + 8 + len]), be32(b, pos + 8 + len).unwrap());
            out.push(four(b, pos + 4).unwrap());
            pos += 12 + len;
        }
        out
    }

    fn bmff(typ: &[u8; 4], content: &[u8]) -> Vec<u8> {
        [&((content.len() + 8) as u32).to_be_bytes()[..], typ, content].concat()
    }

    fn full_box(typ: &[u8; 4], version: u8, content: &[u8]) -> Vec<u8> {
        bmff(typ, &[&[version, 0, 0, 0][..], content].concat())
    }

    const HEVC: &[u8] = b"HEVC-TILE-DATA-0123456789";
    const XMP: &[u8] = b"<x:xmpmeta>Jan Jansen</x:xmpmeta>";
    const LEFTOVER: &[u8] = b"LEFTOVER Exif Canon";

    struct HeicFile {
        bytes: Vec<u8>,
        hevc: (usize, usize),
        exif: (usize, usize),
        xmp: (usize, usize),
        uuid: (usize, usize),
    }

    /// ftyp, meta (hdlr, pitm, iinf with an hvc1, an Exif and an XMP item, iloc, optionally idat
    /// holding the Exif), a uuid box with XMP, and mdat with the items' data and an unused leftover.
    fn heic(iloc_version: u8, exif: &[u8], exif_in_idat: bool) -> HeicFile {
        heic_with(iloc_version, exif, exif_in_idat, None)
    }

    /// With `url_flags`, the items refer to data reference 1, a `url ` entry with those flags (1: this file).
    fn heic_with(iloc_version: u8, exif: &[u8], exif_in_idat: bool, url_flags: Option<u8>) -> HeicFile {
        assert!(!exif_in_idat || iloc_version > 0);
        let ftyp = bmff(b"ftyp", b"heic\0\0\0\0mif1heic");
        let hdlr = full_box(b"hdlr", 0, &[&[0; 4][..], b"pict", &[0; 12], b"\0"].concat());
        let pitm = full_box(b"pitm", 0, &1u16.to_be_bytes());
        let infe = |id: u16, typ: &[u8; 4], extra: &[u8]| {
            full_box(b"infe", 2, &[&id.to_be_bytes()[..], &[0, 0], typ, b"\0", extra].concat())
        };
        let iinf = full_box(
            b"iinf",
            0,
            &[
                &3u16.to_be_bytes()[..],
                &infe(1, b"hvc1", b""),
                &infe(2, b"Exif", b""),
                &infe(3, b"mime", b"application/rdf+xml\0"),
            ]
            .concat(),
        );
        let iloc = |items: &[(u16, u8, u32, u32)]| {
            let mut c = vec![0x44, 0x00];
            if iloc_version < 2 {
                c.extend((items.len() as u16).to_be_bytes());
            } else {
                c.extend((items.len() as u32).to_be_bytes());
            }
            for &(id, method, offset, length) in items {
                if iloc_version < 2 {
                    c.extend(id.to_be_bytes());
                } else {
                    c.extend(u32::from(id).to_be_bytes());
                }
                if iloc_version > 0 {
                    c.extend(u16::from(method).to_be_bytes());
                }
                c.extend([0, u8::from(url_flags.is_some()), 0, 1]); // data reference 0 or 1, one extent
                c.extend(offset.to_be_bytes());
                c.extend(length.to_be_bytes());
            }
            full_box(b"iloc", iloc_version, &c)
        };
        let idat = if exif_in_idat { bmff(b"idat", exif) } else { Vec::new() };
        let iprp = image_properties(4032, 3024);
        let dinf = url_flags.map_or_else(Vec::new, |flags| {
            let url = bmff(b"url ", &[0, 0, 0, flags]);
            bmff(b"dinf", &full_box(b"dref", 0, &[&1u32.to_be_bytes()[..], &url].concat()))
        });
        let uuid = bmff(b"uuid", &[&[0xBE; 16][..], XMP].concat());
        let mdat_content: Vec<u8> = [HEVC, LEFTOVER, if exif_in_idat { &[] } else { exif }, XMP].concat();
        let build = |mdat_at: usize| {
            let data = mdat_at + 8;
            let (hevc_at, exif_at) = (data, data + HEVC.len() + LEFTOVER.len());
            let xmp_at = exif_at + if exif_in_idat { 0 } else { exif.len() };
            let exif_item =
                if exif_in_idat { (2, 1, 0, exif.len() as u32) } else { (2, 0, exif_at as u32, exif.len() as u32) };
            let items = [(1, 0, hevc_at as u32, HEVC.len() as u32), exif_item, (3, 0, xmp_at as u32, XMP.len() as u32)];
            full_box(
                b"meta",
                0,
                &[hdlr.clone(), pitm.clone(), dinf.clone(), iinf.clone(), iprp.clone(), iloc(&items), idat.clone()]
                    .concat(),
            )
        };
        let meta_len = build(0).len();
        let mdat_at = ftyp.len() + meta_len + uuid.len();
        let meta = build(mdat_at);
        let bytes = [ftyp.clone(), meta.clone(), uuid.clone(), bmff(b"mdat", &mdat_content)].concat();
        let data = mdat_at + 8;
        let exif_range = if exif_in_idat {
            let at = ftyp.len() + meta.len() - idat.len() + 8;
            (at, at + exif.len())
        } else {
            let at = data + HEVC.len() + LEFTOVER.len();
            (at, at + exif.len())
        };
        let xmp_at = data + mdat_content.len() - XMP.len();
        let uuid_at = ftyp.len() + meta.len();
        HeicFile {
            bytes,
            hevc: (data, data + HEVC.len()),
            exif: exif_range,
            xmp: (xmp_at, xmp_at + XMP.len()),
            uuid: (uuid_at, uuid_at + uuid.len()),
        }
    }

    /// `iprp` with one `ipco` holding an image size (`ispe`) and no associations (not read).
    fn image_properties(width: u32, height: u32) -> Vec<u8> {
        let ispe = full_box(b"ispe", 0, &[width.to_be_bytes(), height.to_be_bytes()].concat());
        bmff(b"iprp", &bmff(b"ipco", &ispe))
    }

    /// An Exif item as Apple writes it: offset 6, then `Exif\0\0` and the TIFF.
    fn heif_exif(tiff: &[u8]) -> Vec<u8> {
        [&[0, 0, 0, 6][..], b"Exif\0\0", tiff].concat()
    }

    // ---- Detection ----------------------------------------------------------------------------

    #[test]
    fn detection_reads_the_content_not_the_name() {
        // `detect` gets no name or content type: a PNG uploaded as "foto.jpg" with image/jpeg is a PNG.
        assert_eq!(detect(&jpeg()), Some(PhotoFormat::Jpeg));
        assert_eq!(detect(&png()), Some(PhotoFormat::Png));
        assert_eq!(detect(&heic(1, &heif_exif(&camera_exif(false)), false).bytes), Some(PhotoFormat::Heic));
        let refused: [&[u8]; 8] = [
            b"GIF89a\x01\x00\x01\x00",
            b"%PDF-1.7\n%\xE2\xE3",
            b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run",
            b"Hallo, dit is een tekstbestand met de naam foto.jpg",
            b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", // a video
            b"\x00\x00\x00\x14ftypavif\x00\x00\x00\x00avif",     // AVIF is not accepted
            b"\xFF\xD8",                                         // too short for a JPEG signature
            b"\x89PNG\r\n",
        ];
        for bytes in refused {
            assert_eq!(detect(bytes), None, "{:?}", String::from_utf8_lossy(bytes));
            assert_eq!(clean(bytes, true), Err(PhotoError::NotAPhoto));
        }
        // A HEIF brand among the compatible brands is enough.
        assert_eq!(detect(b"\x00\x00\x00\x18ftypXXXX\x00\x00\x00\x00isommif1"), Some(PhotoFormat::Heic));
        assert_eq!(PhotoFormat::Heic.content_type(), "image/heic");
        assert_eq!(PhotoFormat::Jpeg.extension(), "jpg");
    }

    #[test]
    fn empty_and_too_large_files_are_refused_with_their_own_error() {
        assert_eq!(clean(&[], true), Err(PhotoError::Empty));
        let mut big = jpeg();
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(clean(&big, false), Err(PhotoError::TooLarge { bytes: MAX_PHOTO_BYTES + 1 }));
        assert!(PhotoError::TooLarge { bytes: MAX_PHOTO_BYTES + 1 }.dutch().contains("(10,1 MB)"));
        // Exactly the maximum is allowed (the padding lies after EOI, so it is dropped).
        big.truncate(MAX_PHOTO_BYTES);
        assert!(clean(&big, false).is_ok());
    }

    #[test]
    fn every_error_has_a_dutch_sentence_for_the_citizen() {
        let errors = [
            PhotoError::Empty,
            PhotoError::TooLarge { bytes: 12 << 20 },
            PhotoError::NotAPhoto,
            PhotoError::Damaged("x"),
        ];
        for e in errors {
            let nl = e.dutch();
            assert!(nl.ends_with('.') && nl.contains("foto"), "{nl}");
            assert!(!e.to_string().is_empty());
        }
        assert_eq!(
            PhotoError::NotAPhoto.dutch(),
            "Dit bestand is geen foto. Kies een foto van het type JPEG, PNG of HEIC."
        );
        assert!(PhotoError::TooLarge { bytes: 12 << 20 }.dutch().contains("12,0 MB"));
        assert_eq!(Invalid::from(PhotoError::Empty).field, "photo");
    }

    // ---- JPEG ---------------------------------------------------------------------------------

    #[test]
    fn jpeg_without_consent_loses_all_metadata_but_keeps_orientation_colour_and_scan() {
        let input = jpeg();
        let photo = clean(&input, false).unwrap();
        assert_eq!(photo.format, PhotoFormat::Jpeg);
        assert_eq!(photo.location, None);
        let out = &photo.bytes;
        assert_no_secrets(out);
        for gps in gps_bytes() {
            assert!(!contains(out, &gps), "GPS bytes {gps:?} survived");
        }
        let markers: Vec<u8> = segments(out).iter().map(|(m, _)| *m).collect();
        assert_eq!(markers, [0xE0, 0xE1, 0xE2, 0xEE, 0xDB, 0xC0, 0xC4, 0xDA]);
        let segs = segments(out);
        assert_eq!(segs[0].1, JFIF);
        assert!(segs[2].1.starts_with(b"ICC_PROFILE\0"));
        // Only the orientation is left in the Exif.
        let exif = exif_of_jpeg(out).unwrap();
        let t = Tiff::new(exif).unwrap();
        assert_eq!(tags(&t, t.ifd0().unwrap()), [TAG_ORIENTATION]);
        assert_eq!(read_exif(exif), Some(ExifInfo { orientation: Some(6), gps: None }));
        // The scan data is byte-identical, and the file ends at EOI.
        let sos_in = input.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let sos_out = out.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let eoi_in = sos_in + input[sos_in..].windows(2).position(|w| w == [0xFF, 0xD9]).unwrap() + 2;
        assert_eq!(&out[sos_out..], &input[sos_in..eoi_in]);
        assert!(contains(out, SCAN));
    }

    #[test]
    fn jpeg_with_consent_keeps_only_the_gps_position_and_orientation() {
        for le in [false, true] {
            let photo = clean(&jpeg_with(&camera_exif(le)), true).unwrap();
            assert_amsterdam(photo.location);
            assert_no_secrets(&photo.bytes);
            assert_minimal_gps_tiff(exif_of_jpeg(&photo.bytes).unwrap(), Some(6));
        }
    }

    #[test]
    fn jpeg_without_orientation_or_consent_gets_no_exif_at_all() {
        let exif = tiff(false, &[(0x010F, V::Ascii("Canon"))], &[]);
        let photo = clean(&jpeg_with(&exif), true).unwrap();
        assert_eq!(exif_of_jpeg(&photo.bytes), None);
        assert_eq!(photo.location, None);
        // A damaged Exif block is removed and yields no location, not an error.
        let photo = clean(&jpeg_with(b"MM\0*\xFF\xFF\xFF\xFF Canon"), true).unwrap();
        assert_eq!(exif_of_jpeg(&photo.bytes), None);
        assert_no_secrets(&photo.bytes);
    }

    #[test]
    fn gps_positions_are_signed_by_their_reference_and_must_be_on_earth() {
        let with = |lat_ref: &str, lat: &[(u32, u32)], lon_ref: &str| {
            let t = tiff(
                true,
                &[],
                &[
                    (GPS_LATITUDE_REF, V::Ascii(lat_ref)),
                    (GPS_LATITUDE, V::Rational(lat)),
                    (GPS_LONGITUDE_REF, V::Ascii(lon_ref)),
                    (GPS_LONGITUDE, V::Rational(&[(70, 1), (30, 1), (0, 0)])),
                ],
            );
            read_exif(&t).unwrap().gps.map(|g| g.point)
        };
        assert_eq!(with("S", &[(33, 1), (30, 1), (0, 1)], "W"), Some(GeoPoint { lat: -33.5, lon: -70.5 }));
        assert_eq!(with("N", &[(91, 1), (0, 1), (0, 1)], "E"), None);
        assert_eq!(with("N", &[(50, 0), (0, 1), (0, 1)], "E"), None);
        assert_eq!(with("X", &[(50, 1), (0, 1), (0, 1)], "E"), None);
        assert_eq!(with("N", &[(5025, 100)], "E"), Some(GeoPoint { lat: 50.25, lon: 70.5 }));
    }

    #[test]
    fn progressive_jpeg_scans_are_kept_and_metadata_between_them_removed() {
        let input = [
            vec![0xFF, 0xD8],
            frame_segments(),
            segment(0xDA, &[1, 1, 0x00, 0, 0, 0]),
            SCAN.to_vec(),
            segment(0xFE, b"Made by Jan Jansen"),
            segment(0xC4, &[0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]),
            vec![0xFF, 0xFF], // fill bytes before a marker
            segment(0xDA, &[1, 1, 0x00, 1, 63, 0]),
            b"second-scan".to_vec(),
            vec![0xFF, 0xD9],
        ]
        .concat();
        let out = clean(&input, false).unwrap().bytes;
        assert_no_secrets(&out);
        assert!(contains(&out, SCAN) && contains(&out, b"second-scan"));
        assert_eq!(out.len(), input.len() - (4 + 18) - 2, "the comment and the fill bytes are gone");
        assert_eq!(clean(&out, false).unwrap().bytes, out);
    }

    #[test]
    fn broken_jpegs_are_damaged() {
        let full = jpeg();
        let eoi = full.windows(4).position(|w| w == [0xFF, 0xD9, 0xFF, 0xD8]).unwrap() + 2;
        assert!(matches!(clean(&full[..eoi - 2], false), Err(PhotoError::Damaged(_))));
        assert!(matches!(clean(&full[..40], false), Err(PhotoError::Damaged(_))));
        assert!(matches!(clean(b"\xFF\xD8\xFF\xD9", false), Err(PhotoError::Damaged(_))));
        assert!(matches!(clean(b"\xFF\xD8\xFF\xE0\x00\x01", false), Err(PhotoError::Damaged(_))));
    }

    // ---- PNG ----------------------------------------------------------------------------------

    #[test]
    fn png_loses_text_exif_and_time_and_keeps_the_rest_in_order() {
        for keep in [false, true] {
            let photo = clean(&png(), keep).unwrap();
            assert_eq!(photo.format, PhotoFormat::Png);
            assert_no_secrets(&photo.bytes);
            assert_eq!(chunk_types(&photo.bytes), [*b"IHDR", *b"pHYs", *b"IDAT", *b"IEND"]);
            if keep {
                assert_amsterdam(photo.location);
            } else {
                assert_eq!(photo.location, None);
            }
        }
        let no_idat = [PNG_SIGNATURE.to_vec(), chunk(b"IHDR", &IHDR_1X1), chunk(b"IEND", &[])].concat();
        assert!(matches!(clean(&no_idat, false), Err(PhotoError::Damaged(_))));
        let not_ihdr_first = [PNG_SIGNATURE.to_vec(), chunk(b"IDAT", &[0; 13]), chunk(b"IEND", &[])].concat();
        assert!(matches!(clean(&not_ihdr_first, false), Err(PhotoError::Damaged(_))));
    }

    #[test]
    fn png_keeps_only_allowlisted_chunks_and_refuses_unknown_critical_ones() {
        let input = [
            PNG_SIGNATURE.to_vec(),
            chunk(b"IHDR", &IHDR_1X1),
            chunk(b"gAMA", &45455u32.to_be_bytes()),
            chunk(b"iCCP", b"sRGB profile\0\0compressed"),
            chunk(b"sPLT", b"Jan Jansen\0\x08"),
            chunk(b"prVt", b"Made by Jan Jansen"), // a private chunk: unknown, so removed
            chunk(b"tRNS", &[0, 0]),
            chunk(b"acTL", &[0, 0, 0, 1, 0, 0, 0, 0]),
            chunk(b"IDAT", b"compressed-pixels"),
            chunk(b"IEND", &[]),
        ]
        .concat();
        let photo = clean(&input, false).unwrap();
        assert_no_secrets(&photo.bytes);
        assert_eq!(chunk_types(&photo.bytes), [*b"IHDR", *b"gAMA", *b"iCCP", *b"tRNS", *b"IDAT", *b"IEND"]);
        let unknown_critical =
            [PNG_SIGNATURE.to_vec(), chunk(b"IHDR", &IHDR_1X1), chunk(b"ABCD", &[]), chunk(b"IEND", &[])].concat();
        assert!(matches!(clean(&unknown_critical, false), Err(PhotoError::Damaged(_))));
    }

    #[test]
    fn images_without_pixels_or_with_absurd_dimensions_are_refused() {
        let png_sized = |width: u32, height: u32| {
            let ihdr = [&width.to_be_bytes()[..], &height.to_be_bytes(), &[8, 2, 0, 0, 0]].concat();
            [PNG_SIGNATURE.to_vec(), chunk(b"IHDR", &ihdr), chunk(b"IDAT", b"x"), chunk(b"IEND", &[])].concat()
        };
        assert_eq!(
            clean(&png_sized(100_000, 100_000), false),
            Err(PhotoError::Dimensions { width: 100_000, height: 100_000 })
        );
        assert_eq!(clean(&png_sized(0, 10), false), Err(PhotoError::Dimensions { width: 0, height: 10 }));
        assert!(clean(&png_sized(10_000, 10_000), false).is_ok(), "exactly 100 megapixels is allowed");

        let jpeg_sized = |width: u16, height: u16| {
            let mut b = jpeg();
            let sof = b.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
            b[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
            b[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
            b
        };
        assert_eq!(
            clean(&jpeg_sized(65_000, 65_000), false),
            Err(PhotoError::Dimensions { width: 65_000, height: 65_000 })
        );
        assert_eq!(clean(&jpeg_sized(640, 0), false), Err(PhotoError::Dimensions { width: 640, height: 0 }));
        assert!(clean(&jpeg_sized(4032, 3024), false).is_ok());

        let heic_sized = |width: u32, height: u32| {
            let mut b = heic(1, &heif_exif(&camera_exif(false)), false).bytes;
            let ispe = b.windows(4).position(|w| w == b"ispe").unwrap();
            b[ispe + 8..ispe + 12].copy_from_slice(&width.to_be_bytes());
            b[ispe + 12..ispe + 16].copy_from_slice(&height.to_be_bytes());
            b
        };
        let huge = clean(&heic_sized(1 << 20, 1 << 20), false);
        assert_eq!(huge, Err(PhotoError::Dimensions { width: 1 << 20, height: 1 << 20 }));
        assert_eq!(clean(&heic_sized(0, 0), false), Err(PhotoError::Dimensions { width: 0, height: 0 }));
        let mut no_size = heic_sized(1, 1);
        let ispe = no_size.windows(4).position(|w| w == b"ispe").unwrap();
        no_size[ispe..ispe + 4].copy_from_slice(b"xxxx");
        assert!(matches!(clean(&no_size, false), Err(PhotoError::Damaged(_))), "a HEIC file must say its size");

        assert!(PhotoError::Dimensions { width: 100_000, height: 100_000 }.dutch().contains("100000 × 100000"));
        assert!(PhotoError::Dimensions { width: 0, height: 1 }.dutch().contains("geen beeld"));
    }

    // ---- HEIC ---------------------------------------------------------------------------------

    #[test]
    fn heic_without_consent_zeroes_exif_and_xmp_in_place() {
        for (version, in_idat) in [(0, false), (1, false), (2, false), (1, true), (2, true)] {
            let file = heic(version, &heif_exif(&camera_exif(false)), in_idat);
            let photo = clean(&file.bytes, false).unwrap();
            let out = &photo.bytes;
            assert_eq!(photo.format, PhotoFormat::Heic);
            assert_eq!(out.len(), file.bytes.len());
            assert_eq!(photo.location, None);
            assert_no_secrets(out);
            assert_eq!(&out[file.hevc.0..file.hevc.1], HEVC);
            // Exactly these bytes changed: the Exif and XMP items and the unused leftover in mdat are
            // zeroed, and the uuid box became a zero-filled free box of the same size.
            let mut expected = file.bytes.clone();
            expected[file.exif.0..file.exif.1].fill(0);
            expected[file.xmp.0..file.xmp.1].fill(0);
            expected[file.hevc.1..file.hevc.1 + LEFTOVER.len()].fill(0);
            expected[file.uuid.0 + 4..file.uuid.0 + 8].copy_from_slice(b"free");
            expected[file.uuid.0 + 8..file.uuid.1].fill(0);
            assert!(*out == expected, "v{version}, idat {in_idat}");
            assert_eq!(detect(out), Some(PhotoFormat::Heic));
        }
    }

    #[test]
    fn heic_with_consent_replaces_exif_by_a_gps_only_tiff() {
        for (version, in_idat) in [(0, false), (1, false), (2, true)] {
            let file = heic(version, &heif_exif(&camera_exif(false)), in_idat);
            let photo = clean(&file.bytes, true).unwrap();
            assert_amsterdam(photo.location);
            assert_no_secrets(&photo.bytes);
            let item = &photo.bytes[file.exif.0..file.exif.1];
            assert_eq!(read_heif_exif(item).and_then(|i| i.gps).map(|g| g.point), photo.location);
            assert_minimal_gps_tiff(&item[4..4 + 140], Some(6));
            assert!(item[4 + 140..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn heic_items_may_refer_to_this_file_through_a_data_reference() {
        let exif = heif_exif(&camera_exif(false));
        let file = heic_with(1, &exif, false, Some(1));
        let photo = clean(&file.bytes, true).unwrap();
        assert_amsterdam(photo.location);
        assert_no_secrets(&photo.bytes);
        assert_eq!(&photo.bytes[file.hevc.0..file.hevc.1], HEVC, "image data is not mistaken for unused bytes");
        // Metadata in another file cannot be checked, so the photo is refused.
        let external = heic_with(1, &exif, false, Some(0));
        assert!(matches!(clean(&external.bytes, false), Err(PhotoError::Damaged(_))));
    }

    #[test]
    fn heic_gps_that_does_not_fit_is_zeroed_but_still_returned() {
        let small = tiff(
            false,
            &[],
            &[
                (GPS_LATITUDE_REF, V::Ascii("N")),
                (GPS_LATITUDE, V::Rational(&[(5236667, 100000)])),
                (GPS_LONGITUDE_REF, V::Ascii("E")),
                (GPS_LONGITUDE, V::Rational(&[(49, 10)])),
            ],
        );
        let file = heic(1, &[&[0, 0, 0, 0][..], &small].concat(), false);
        let photo = clean(&file.bytes, true).unwrap();
        assert!((photo.location.unwrap().lat - 52.36667).abs() < 1e-9);
        assert!(photo.bytes[file.exif.0..file.exif.1].iter().all(|&b| b == 0));
    }

    #[test]
    fn broken_heic_files_are_refused() {
        let file = heic(1, &heif_exif(&camera_exif(false)), false);
        // Cut short: mdat runs past the end.
        assert!(matches!(clean(&file.bytes[..file.bytes.len() - 1], false), Err(PhotoError::Damaged(_))));
        // An item pointing outside the file.
        let mut far = file.bytes.clone();
        let at = far.windows(4).position(|w| w == (file.hevc.0 as u32).to_be_bytes()).unwrap();
        far[at..at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(clean(&far, false), Err(PhotoError::Damaged(_))));
        // No meta box: not a photo (an image sequence or video).
        let ftyp = bmff(b"ftyp", b"msf1\0\0\0\0msf1");
        assert_eq!(clean(&[ftyp, bmff(b"mdat", b"frames")].concat(), false), Err(PhotoError::NotAPhoto));
    }

    /// A HEIC file whose `iloc` names `items` items, each of them an Exif item (when `exif`) or an
    /// image tile, each with one extent covering the whole `mdat` of `mdat_len` bytes; `ids` gives
    /// the item id of entry i.
    fn heic_overlapping(items: u32, exif: bool, mdat_len: usize, ids: impl Fn(u32) -> u32) -> Vec<u8> {
        let ftyp = bmff(b"ftyp", b"heic\0\0\0\0mif1heic");
        let infe = |id: u32| {
            let typ = if exif { b"Exif" } else { b"hvc1" };
            full_box(b"infe", 3, &[&id.to_be_bytes()[..], &[0, 0], typ, b"\0"].concat())
        };
        let iinf_entries: Vec<u8> = (0..items).flat_map(|i| infe(ids(i))).collect();
        let iinf = full_box(b"iinf", 1, &[&items.to_be_bytes()[..], &iinf_entries].concat());
        let build = |mdat_body: u32| {
            let mut c = vec![0x44, 0x00];
            c.extend(items.to_be_bytes());
            for i in 0..items {
                c.extend(ids(i).to_be_bytes());
                c.extend([0, 0, 0, 0, 0, 1]); // construction method 0, data reference 0, one extent
                c.extend(mdat_body.to_be_bytes());
                c.extend((mdat_len as u32).to_be_bytes());
            }
            full_box(b"meta", 0, &[iinf.clone(), image_properties(64, 64), full_box(b"iloc", 2, &c)].concat())
        };
        let mdat_at = ftyp.len() + build(0).len();
        let meta = build((mdat_at + 8) as u32);
        [ftyp, meta, bmff(b"mdat", &vec![0xAB; mdat_len])].concat()
    }

    #[test]
    fn heic_metadata_items_cost_at_most_the_file_length_to_clean() {
        // 10,000 Exif items, each covering all 1 MB of media data: without the budget cleaning reads and
        // zeroes 20 GB (with consent) byte by byte. It is refused after touching at most the file once.
        let crafted = heic_overlapping(10_000, true, 1 << 20, |i| i + 1);
        for keep in [false, true] {
            let mut budget = Budget::new(crafted.len());
            let refused = clean_heic_within(&crafted, keep, &mut budget);
            assert!(matches!(refused, Err(PhotoError::Damaged(_))), "{refused:?}");
            assert!(budget.spent <= crafted.len(), "{} bytes touched", budget.spent);
            assert!(matches!(clean(&crafted, keep), Err(PhotoError::Damaged(_))));
        }
        // Many image tiles over the same data are fine (they are only recorded, never rewritten).
        let tiles = heic_overlapping(10_000, false, 1 << 20, |i| i + 1);
        let mut budget = Budget::new(tiles.len());
        let cleaned = clean_heic_within(&tiles, true, &mut budget).unwrap();
        assert_eq!(cleaned.0, tiles);
        assert_eq!(budget.spent, 0);
        // One Exif item over the media data is within budget, and is zeroed.
        let single = heic_overlapping(1, true, 1 << 10, |i| i + 1);
        let mut budget = Budget::new(single.len());
        let (out, _) = clean_heic_within(&single, false, &mut budget).unwrap();
        assert_eq!(budget.spent, 1 << 10);
        assert!(out[out.len() - (1 << 10)..].iter().all(|&b| b == 0));
        // An item id named twice is refused.
        let twice = heic_overlapping(2, false, 16, |_| 7);
        assert!(matches!(clean(&twice, false), Err(PhotoError::Damaged(_))));
    }

    // ---- All formats --------------------------------------------------------------------------

    fn samples() -> Vec<Vec<u8>> {
        vec![
            jpeg(),
            png(),
            heic(0, &heif_exif(&camera_exif(false)), false).bytes,
            heic(2, &heif_exif(&camera_exif(true)), true).bytes,
            heic_with(1, &heif_exif(&camera_exif(false)), false, Some(1)).bytes,
        ]
    }

    #[test]
    fn cleaning_a_clean_photo_changes_nothing() {
        for sample in samples() {
            for keep in [false, true] {
                let once = clean(&sample, keep).unwrap();
                let twice = clean(&once.bytes, keep).unwrap();
                assert_eq!(twice.bytes, once.bytes);
                // A PNG's position came from eXIf, which cleaning removes; JPEG and HEIC keep it.
                if once.format != PhotoFormat::Png {
                    assert_eq!(twice.location, once.location);
                }
            }
        }
    }

    #[test]
    fn truncated_and_corrupted_files_never_panic() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let check = |bytes: &[u8]| {
            for keep in [false, true] {
                if let Ok(photo) = clean(bytes, keep) {
                    assert_eq!(detect(&photo.bytes), Some(photo.format));
                    assert!(photo.bytes.len() <= bytes.len() + 200);
                    assert!(keep || photo.location.is_none());
                }
            }
        };
        for sample in samples() {
            for len in 0..=sample.len() {
                check(&sample[..len]);
            }
            for _ in 0..400 {
                let mut bytes = sample.clone();
                for _ in 0..1 + random() % 3 {
                    let at = (random() % bytes.len() as u64) as usize;
                    bytes[at] ^= 1 << (random() % 8);
                }
                check(&bytes);
            }
            // Whole bytes set to extreme values hit length fields harder than single bits.
            for _ in 0..400 {
                let mut bytes = sample.clone();
                let at = (random() % bytes.len() as u64) as usize;
                bytes[at] = [0x00, 0xFF, 0x01, 0x80][(random() % 4) as usize];
                check(&bytes);
            }
        }
    }
}
