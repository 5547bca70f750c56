//! Test photos built byte by byte, and the tests of cleaning them.

use super::*;

mod cleaning;

// ---- Building test files ------------------------------------------------------------------

pub(super) enum V<'a> {
    Ascii(&'a str),
    Short(u16),
    Long(u32),
    Rational(&'a [(u32, u32)]),
}

pub(super) fn w16(le: bool, v: u16) -> [u8; 2] {
    if le { v.to_le_bytes() } else { v.to_be_bytes() }
}

pub(super) fn w32(le: bool, v: u32) -> [u8; 4] {
    if le { v.to_le_bytes() } else { v.to_be_bytes() }
}

/// An IFD placed at `start`, followed by the values that do not fit in its entries.
pub(super) fn ifd(le: bool, start: usize, entries: &[(u16, &V)]) -> Vec<u8> {
    let data_at = start + 2 + 12 * entries.len() + 4;
    let (mut head, mut data) = (Vec::new(), Vec::new());
    head.extend(w16(le, entries.len() as u16));
    for (tag, value) in entries {
        let (typ, count, bytes): (u16, usize, Vec<u8>) = match value {
            V::Ascii(s) => (2, s.len() + 1, [s.as_bytes(), &[0]].concat()),
            V::Short(v) => (3, 1, w16(le, *v).to_vec()),
            V::Long(v) => (4, 1, w32(le, *v).to_vec()),
            V::Rational(r) => (5, r.len(), r.iter().flat_map(|&(n, d)| [w32(le, n), w32(le, d)]).flatten().collect()),
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
pub(super) fn tiff(le: bool, ifd0: &[(u16, V)], gps: &[(u16, V)]) -> Vec<u8> {
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

pub(super) const AMSTERDAM_LAT: [(u32, u32); 3] = [(52, 1), (22, 1), (0, 1)];
pub(super) const AMSTERDAM_LON: [(u32, u32); 3] = [(4, 1), (54, 1), (0, 1)];

/// What a camera writes: make, model, orientation, time, owner and a GPS position (52°22'N 4°54'E).
pub(super) fn camera_exif(le: bool) -> Vec<u8> {
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
pub(super) const SECRETS: [&[u8]; 7] =
    [b"Canon", b"Jan Jansen", b"2024:05:01", b"xmpmeta", b"Photoshop", b"Made by", b"LEFTOVER"];

pub(super) fn gps_bytes() -> Vec<Vec<u8>> {
    [true, false]
        .into_iter()
        .flat_map(|le| {
            [[w32(le, 52), w32(le, 1)].concat(), [w32(le, 54), w32(le, 1)].concat(), w16(le, TAG_GPS_IFD).to_vec()]
        })
        .collect()
}

pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub(super) fn assert_no_secrets(bytes: &[u8]) {
    for secret in SECRETS {
        assert!(!contains(bytes, secret), "{:?} survived", String::from_utf8_lossy(secret));
    }
}

pub(super) fn assert_amsterdam(location: Option<GeoPoint>) {
    let p = location.expect("a location");
    assert!((p.lat - 52.366_667).abs() < 1e-5 && (p.lon - 4.9).abs() < 1e-9, "{p:?}");
}

pub(super) fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    [&[0xFF, marker][..], &((payload.len() + 2) as u16).to_be_bytes(), payload].concat()
}

pub(super) const SCAN: &[u8] = &[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xBC];
pub(super) const JFIF: &[u8] = b"JFIF\0\x01\x01\x00\x00\x48\x00\x48\x00\x00";

pub(super) fn frame_segments() -> Vec<u8> {
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

pub(super) fn jpeg_with(exif: &[u8]) -> Vec<u8> {
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

pub(super) fn jpeg() -> Vec<u8> {
    jpeg_with(&camera_exif(false))
}

/// The segments of a well-formed JPEG up to and including SOS: (marker, payload).
pub(super) fn segments(b: &[u8]) -> Vec<(u8, &[u8])> {
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

pub(super) fn exif_of_jpeg(b: &[u8]) -> Option<&[u8]> {
    segments(b).into_iter().find(|(m, p)| *m == 0xE1 && p.starts_with(b"Exif\0\0")).map(|(_, p)| &p[6..])
}

/// The tags of an IFD, in order.
pub(super) fn tags(t: &Tiff, ifd: usize) -> Vec<u16> {
    (0..t.entry_count(ifd).unwrap()).map(|i| t.tag(ifd, i).unwrap()).collect()
}

/// Check that `tiff` is the minimal TIFF: Orientation (if given), GPS pointer, 4 GPS tags, no IFD1.
pub(super) fn assert_minimal_gps_tiff(tiff: &[u8], orientation: Option<u16>) {
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

pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

pub(super) fn chunk(typ: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let crc = crc32(&[typ.as_slice(), data].concat());
    [&(data.len() as u32).to_be_bytes()[..], typ, data, &crc.to_be_bytes()].concat()
}

/// One pixel, 8-bit RGB.
pub(super) const IHDR_1X1: [u8; 13] = [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

pub(super) fn png() -> Vec<u8> {
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
pub(super) fn chunk_types(b: &[u8]) -> Vec<[u8; 4]> {
    let (mut pos, mut out) = (8, Vec::new());
    while pos < b.len() {
        let len = be32(b, pos).unwrap() as usize;
        assert_eq!(crc32(&b[pos + 4..pos + 8 + len]), be32(b, pos + 8 + len).unwrap());
        out.push(four(b, pos + 4).unwrap());
        pos += 12 + len;
    }
    out
}

pub(super) fn bmff(typ: &[u8; 4], content: &[u8]) -> Vec<u8> {
    [&((content.len() + 8) as u32).to_be_bytes()[..], typ, content].concat()
}

pub(super) fn full_box(typ: &[u8; 4], version: u8, content: &[u8]) -> Vec<u8> {
    bmff(typ, &[&[version, 0, 0, 0][..], content].concat())
}

pub(super) const HEVC: &[u8] = b"HEVC-TILE-DATA-0123456789";
pub(super) const XMP: &[u8] = b"<x:xmpmeta>Jan Jansen</x:xmpmeta>";
pub(super) const LEFTOVER: &[u8] = b"LEFTOVER Exif Canon";

pub(super) struct HeicFile {
    bytes: Vec<u8>,
    hevc: (usize, usize),
    exif: (usize, usize),
    xmp: (usize, usize),
    uuid: (usize, usize),
}

/// ftyp, meta (hdlr, pitm, iinf with an hvc1, an Exif and an XMP item, iloc, optionally idat
/// holding the Exif), a uuid box with XMP, and mdat with the items' data and an unused leftover.
pub(super) fn heic(iloc_version: u8, exif: &[u8], exif_in_idat: bool) -> HeicFile {
    heic_with(iloc_version, exif, exif_in_idat, None)
}

/// With `url_flags`, the items refer to data reference 1, a `url ` entry with those flags (1: this file).
pub(super) fn heic_with(iloc_version: u8, exif: &[u8], exif_in_idat: bool, url_flags: Option<u8>) -> HeicFile {
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
pub(super) fn image_properties(width: u32, height: u32) -> Vec<u8> {
    let ispe = full_box(b"ispe", 0, &[width.to_be_bytes(), height.to_be_bytes()].concat());
    bmff(b"iprp", &bmff(b"ipco", &ispe))
}

/// An Exif item as Apple writes it: offset 6, then `Exif\0\0` and the TIFF.
pub(super) fn heif_exif(tiff: &[u8]) -> Vec<u8> {
    [&[0, 0, 0, 6][..], b"Exif\0\0", tiff].concat()
}
