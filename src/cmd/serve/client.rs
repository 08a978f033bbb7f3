//! A minimal HTTP/1.1 client for `folio bench --serve`: one kept-alive connection, bodies
//! read by their Content-Length (what `folio serve` always sends), reconnecting when the
//! server closes. Used only against 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};

/// A minimal HTTP/1.1 client on one kept-alive connection (reconnects when it closes).
pub struct Client {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Client {
        Client { addr, stream: None }
    }

    /// Sends a request; returns its status (0: the connection failed) and whether the server
    /// says it compiled the answer (`X-Folio-Cache: miss`).
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&str>,
    ) -> (u16, bool) {
        for _ in 0..2 {
            if self.stream.is_none() {
                self.stream = TcpStream::connect(self.addr).ok().map(BufReader::new);
            }
            let Some(stream) = self.stream.as_mut() else {
                return (0, false);
            };
            match exchange(stream, method, path, token, body) {
                Some((status, miss, close)) => {
                    if close {
                        self.stream = None;
                    }
                    return (status, miss);
                }
                None => self.stream = None,
            }
        }
        (0, false)
    }
}

/// One request and its answer on `stream`: (status, body length, whether the server closes).
fn exchange(
    stream: &mut BufReader<TcpStream>,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> Option<(u16, bool, bool)> {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if !token.is_empty() {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    head.push_str(body.unwrap_or(""));
    stream.get_mut().write_all(head.as_bytes()).ok()?;
    let mut line = String::new();
    stream.read_line(&mut line).ok()?;
    let status: u16 = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0;
    let mut close = false;
    let mut miss = false;
    loop {
        line.clear();
        stream.read_line(&mut line).ok()?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().ok()?;
        }
        close |= lower == "connection: close";
        miss |= lower == "x-folio-cache: miss";
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).ok()?;
    Some((status, miss, close))
}
