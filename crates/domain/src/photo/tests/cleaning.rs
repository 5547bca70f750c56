use super::*;

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
    let errors =
        [PhotoError::Empty, PhotoError::TooLarge { bytes: 12 << 20 }, PhotoError::NotAPhoto, PhotoError::Damaged("x")];
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
