//! Who is on the other end of a request: the peer's address, or, when the
//! peer is a reverse proxy the operator trusts (`--trusted-proxy`), the
//! address the proxy says it forwarded for.
//!
//! `X-Forwarded-For` lists the addresses a request passed through, the
//! client first; each proxy appends the address it received the request
//! from. Only the entries added by trusted proxies can be believed, so the
//! list is read from its right end, skipping trusted proxies, and the first
//! address that is not one of them is the client. A client that forges the
//! header only adds entries to the left of what the trusted proxy appended,
//! and is still seen at its real address. A request from a peer that is not
//! trusted is judged by the peer's address whatever it says.

use std::net::IpAddr;

use axum::http::HeaderMap;

/// The client's address for a request that arrived from `peer`, given the
/// proxies trusted to say whom they forward for.
#[must_use]
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','));
    let hops: Vec<&str> = hops.map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(address) = parse_hop(hop) else { break };
        client = address;
        if !is_trusted(address, trusted) {
            break;
        }
    }
    client
}

fn is_trusted(address: IpAddr, trusted: &[IpAddr]) -> bool {
    trusted.iter().any(|t| canonical(*t) == canonical(address))
}

/// An IPv4 address seen as IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

/// One entry of `X-Forwarded-For`: an address, perhaps with a port
/// (`203.0.113.7:5120`, `[2001:db8::1]:443`); anything else ends the trust.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = hop.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        assert_eq!(client_address(ip("198.51.100.9"), &forwarded("203.0.113.7"), &[ip("10.0.0.2")]), ip("198.51.100.9"));
        assert_eq!(client_address(ip("10.0.0.2"), &forwarded("203.0.113.7"), &[]), ip("10.0.0.2"));
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        assert_eq!(client_address(ip("10.0.0.2"), &forwarded("203.0.113.7"), &[ip("10.0.0.2")]), ip("203.0.113.7"));
        assert_eq!(client_address(ip("::ffff:10.0.0.2"), &forwarded("203.0.113.7:5120"), &[ip("10.0.0.2")]), ip("203.0.113.7"));
        assert_eq!(client_address(ip("10.0.0.2"), &forwarded("[2001:db8::1]:443"), &[ip("10.0.0.2")]), ip("2001:db8::1"));
    }

    #[test]
    fn a_forged_entry_left_of_the_proxy_s_is_not_believed() {
        let headers = forwarded("1.2.3.4, 203.0.113.7");
        assert_eq!(client_address(ip("10.0.0.2"), &headers, &[ip("10.0.0.2")]), ip("203.0.113.7"));
    }

    #[test]
    fn chained_trusted_proxies_are_skipped() {
        let headers = forwarded("203.0.113.7, 10.0.0.3");
        assert_eq!(client_address(ip("10.0.0.2"), &headers, &[ip("10.0.0.2"), ip("10.0.0.3")]), ip("203.0.113.7"));
    }

    #[test]
    fn no_header_or_garbage_leaves_the_last_believed_address() {
        let trusted = [ip("10.0.0.2")];
        assert_eq!(client_address(ip("10.0.0.2"), &HeaderMap::new(), &trusted), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), &forwarded("unknown"), &trusted), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), &forwarded("203.0.113.7, junk"), &trusted), ip("10.0.0.2"));
    }
}
