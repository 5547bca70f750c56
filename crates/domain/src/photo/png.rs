//! PNG: copy the allowlisted chunks from IHDR to IEND.

use super::*;

/// The chunks every PNG decoder knows (a PNG with another critical chunk is refused).
pub(super) const PNG_CRITICAL: [[u8; 4]; 4] = [*b"IHDR", *b"PLTE", *b"IDAT", *b"IEND"];
/// The ancillary chunks that are kept: how the pixels look (transparency, gamma, chromaticities,
/// colour space, ICC profile, coding-independent code points and HDR mastering/light levels,
/// significant bits, background colour, palette histogram) and the physical pixel size. None of
/// them says who, when, where or with what. An ICC profile may carry a description and copyright
/// text, as in a JPEG, where it is kept too; without it colours would be shown wrongly.
pub(super) const PNG_KEPT: [[u8; 4]; 12] = [
    *b"tRNS", *b"gAMA", *b"cHRM", *b"sRGB", *b"iCCP", *b"cICP", *b"mDCV", *b"cLLI", *b"sBIT", *b"bKGD", *b"hIST",
    *b"pHYs",
];

pub(super) fn clean_png(b: &[u8], keep_location: bool) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
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
