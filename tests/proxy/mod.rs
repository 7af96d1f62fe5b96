//! A proxy in front of a real Airflow, for the live tests (tests/cli.rs, tests/live_client.rs).

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A proxy in front of `upstream` (one request per connection): it counts the requests it sees
/// (`seen`) and answers 503 to the next `fail` GETs of a run instead of passing them on.
// Each test file reads the counter it needs.
#[allow(dead_code)]
pub struct Proxy {
    pub url: String,
    pub fail: Arc<AtomicUsize>,
    pub seen: Arc<AtomicUsize>,
}

pub fn proxy(upstream: &str) -> Proxy {
    let (fail, seen) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
    let (to_fail, counter) = (fail.clone(), seen.clone());
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let (upstream, to_fail, counter) = (upstream.clone(), to_fail.clone(), counter.clone());
            std::thread::spawn(move || {
                let mut client = client;
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && client.read(&mut byte).unwrap_or(0) == 1 {
                    head.push(byte[0]);
                }
                if head.is_empty() {
                    return;
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let text = String::from_utf8_lossy(&head).to_string();
                let length = text
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = client.read_exact(&mut body);
                let is_run_get = text.starts_with("GET ") && text.lines().next().unwrap_or("").contains("/dagRuns/");
                if is_run_get && to_fail.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
                {
                    let answer = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\ncontent-length: 5\r\nconnection: close\r\n\r\nproxy";
                    let _ = client.write_all(answer.as_bytes());
                    return;
                }
                // The same request, but the connection closes after the answer.
                let head: Vec<&str> =
                    text.split("\r\n").filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
                let head = head.join("\r\n").trim_end_matches("\r\n").to_string() + "\r\nconnection: close\r\n\r\n";
                let Ok(mut up) = std::net::TcpStream::connect(&upstream) else { return };
                let _ = up.write_all(head.as_bytes()).and_then(|()| up.write_all(&body));
                let mut answer = Vec::new();
                let _ = up.read_to_end(&mut answer);
                let _ = client.write_all(&answer);
            });
        }
    });
    Proxy { url, fail, seen }
}
