//! The language of human-readable output: Chinese when the locale is Chinese, English otherwise.

use std::sync::OnceLock;

static CHINESE: OnceLock<bool> = OnceLock::new();

/// Tells whether output is in Chinese, from LC_ALL, then LC_MESSAGES, then LANG (POSIX order).
pub fn is_chinese() -> bool {
    *CHINESE.get_or_init(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .is_some_and(|value| value.to_ascii_lowercase().starts_with("zh"))
    })
}

/// Picks the English or the Chinese text.
pub fn t<'a>(en: &'a str, zh: &'a str) -> &'a str {
    if is_chinese() { zh } else { en }
}
