//! What stops another site from acting with a signed-in browser's cookie.
//!
//! Two independent checks on every state-changing request made with the
//! session cookie (bearer tokens are not sent by browsers on their own, so
//! they need neither):
//!
//! 1. **Where it comes from.** The first of `Origin`, `Sec-Fetch-Site` and
//!    `Referer` the browser sent must name this site: the `--public-url`'s
//!    origin (behind a proxy that rewrites `Host`) or the `Host` asked for.
//!    A request that sends none of them is refused on the API (browsers
//!    always send `Origin` with `fetch`) and needs the form token on pages.
//! 2. **A token in every form.** Each `<form method="post">` of a page
//!    carries a hidden `csrf` field derived from the session (SHA-256 of a
//!    label and the session's secret: another site can neither read nor
//!    compute it); a posted form without the right one is refused.

use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::CookieJar;
use sha2::{Digest, Sha256};

use crate::auth::SESSION_COOKIE;

/// The name of the hidden field that carries the token.
pub const FIELD: &str = "csrf";

/// The form token of the browser session whose cookie `headers` carry, if any.
#[must_use]
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    let jar = CookieJar::from_headers(headers);
    let secret = jar.get(SESSION_COOKIE)?.value().to_owned();
    Some(token_for(&secret))
}

/// The form token of a session secret.
#[must_use]
pub fn token_for(secret: &str) -> String {
    let digest = Sha256::new().chain_update(b"cordon form token\0").chain_update(secret.as_bytes()).finalize();
    hex::encode(&digest[..16])
}

/// Where an unsafe request says it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// This site.
    SameSite,
    /// Another site.
    CrossSite,
    /// The request sent no `Origin`, `Sec-Fetch-Site` or `Referer`.
    Unknown,
}

/// Where the request comes from, judged by the first of `Origin`,
/// `Sec-Fetch-Site` and `Referer` it carries. `public_origin` is the
/// configured public URL's origin (`https://cordon.example.org`), if any.
#[must_use]
pub fn provenance(headers: &HeaderMap, public_origin: Option<&str>) -> Provenance {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ours = |origin: &str| {
        let origin = origin.trim_end_matches('/');
        public_origin.is_some_and(|p| p.trim_end_matches('/').eq_ignore_ascii_case(origin))
            || origin
                .split_once("://")
                .is_some_and(|(scheme, authority)| matches!(scheme, "http" | "https") && authority.eq_ignore_ascii_case(host))
    };
    let judged = |same: bool| if same { Provenance::SameSite } else { Provenance::CrossSite };
    if let Some(origin) = headers.get(header::ORIGIN) {
        return judged(origin.to_str().is_ok_and(ours));
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return judged(matches!(site.to_str(), Ok("same-origin" | "none")));
    }
    if let Some(referer) = headers.get(header::REFERER) {
        let origin_of = |url: &str| -> Option<String> {
            let (scheme, rest) = url.split_once("://")?;
            Some(format!("{scheme}://{}", rest.split('/').next()?))
        };
        return judged(referer.to_str().ok().and_then(origin_of).is_some_and(|o| ours(&o)));
    }
    Provenance::Unknown
}

/// The origin (`scheme://host[:port]`) of a public URL such as
/// `https://cordon.example.org/`, or why it is not one.
pub fn public_origin(url: &str) -> Result<String, String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("{url}: expected http://HOST or https://HOST"))?;
    if !matches!(scheme, "http" | "https") {
        return Err(format!("{url}: the scheme must be http or https"));
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() || authority.contains(['@', ' ', '?', '#']) {
        return Err(format!("{url}: expected a host name after {scheme}://"));
    }
    Ok(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// The token a posted body carries in its `csrf` field: a URL-encoded form's
/// field, or a multipart form's part named `csrf`.
#[must_use]
pub fn posted_token(content_type: &str, body: &[u8]) -> Option<String> {
    let content_type = content_type.to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned());
    }
    if content_type.starts_with("multipart/form-data") {
        let marker = b"name=\"csrf\"";
        let at = body.windows(marker.len()).position(|w| w == marker)?;
        let rest = &body[at + marker.len()..];
        let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let value = &rest[start..];
        let end = value.windows(2).position(|w| w == b"\r\n")?;
        return std::str::from_utf8(&value[..end]).ok().map(str::to_owned);
    }
    None
}

/// Whether two tokens are equal, in time that does not depend on where they differ.
#[must_use]
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `html` with the hidden token field added to every `<form method="post">`.
#[must_use]
pub fn with_form_tokens(html: &str, token: &str) -> String {
    let field = format!("<input type=\"hidden\" name=\"{FIELD}\" value=\"{token}\">");
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = rest.find("<form") {
        let Some(close) = rest[at..].find('>') else { break };
        let tag = &rest[at..=at + close];
        out.push_str(&rest[..=at + close]);
        if tag.to_ascii_lowercase().contains("method=\"post\"") {
            out.push_str(&field);
        }
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn provenance_reads_origin_then_fetch_site_then_referer() {
        let host = ("host", "127.0.0.1:8080");
        assert_eq!(provenance(&headers(&[host, ("origin", "http://127.0.0.1:8080")]), None), Provenance::SameSite);
        assert_eq!(provenance(&headers(&[host, ("origin", "https://evil.example")]), None), Provenance::CrossSite);
        assert_eq!(provenance(&headers(&[host, ("sec-fetch-site", "cross-site")]), None), Provenance::CrossSite);
        assert_eq!(provenance(&headers(&[host, ("referer", "https://evil.example/x")]), None), Provenance::CrossSite);
        assert_eq!(provenance(&headers(&[host, ("referer", "http://127.0.0.1:8080/board")]), None), Provenance::SameSite);
        assert_eq!(provenance(&headers(&[host]), None), Provenance::Unknown);
    }

    #[test]
    fn behind_a_proxy_the_public_url_is_this_site() {
        let proxied = headers(&[("host", "10.0.0.5:8080"), ("origin", "https://cordon.example.org")]);
        assert_eq!(provenance(&proxied, None), Provenance::CrossSite);
        assert_eq!(provenance(&proxied, Some("https://cordon.example.org")), Provenance::SameSite);
        assert_eq!(public_origin("https://Cordon.example.org/app/"), Ok("https://cordon.example.org".into()));
        assert!(public_origin("cordon.example.org").is_err());
        assert!(public_origin("ftp://x").is_err());
    }

    #[test]
    fn every_post_form_gets_the_token_and_others_do_not() {
        let html = r#"<form method="get" action="/curve"></form><form method="post" action="/report" class="form"><input name="a"></form>"#;
        let out = with_form_tokens(html, "abc");
        assert_eq!(out.matches(r#"name="csrf" value="abc""#).count(), 1);
        assert!(out.contains(r#"class="form"><input type="hidden" name="csrf" value="abc"><input name="a">"#));
    }

    #[test]
    fn the_token_is_found_in_both_kinds_of_form() {
        assert_eq!(posted_token("application/x-www-form-urlencoded", b"a=1&csrf=xyz"), Some("xyz".into()));
        let multipart = b"--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nxyz\r\n--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n...\r\n--b--\r\n";
        assert_eq!(posted_token("multipart/form-data; boundary=b", multipart), Some("xyz".into()));
        assert_eq!(posted_token("text/plain", b"csrf=xyz"), None);
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("abc", "ab"));
    }
}
