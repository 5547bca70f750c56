//! Enumerations stored and exchanged by a stable snake_case code.

/// Implements `FromStr` (with an error listing the allowed codes) and `Display` (the code)
/// for an enum that has `ALL` and `code()`.
macro_rules! impl_codes {
    ($ty:ty, $field:literal) => {
        impl std::str::FromStr for $ty {
            type Err = $crate::Invalid;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                <$ty>::ALL.iter().copied().find(|v| v.code() == wanted).ok_or_else(|| {
                    let allowed = <$ty>::ALL.iter().map(|v| v.code().to_string()).collect();
                    $crate::Invalid::new($field, $crate::InvalidKind::Unknown { given: wanted.to_string(), allowed })
                })
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use impl_codes;
