//! Connections: the accept loop, its limits, and JSON for the answers hyper
//! writes itself.
//!
//! `axum::serve` sets no header-read timeout, no connection limit and no
//! bound on graceful shutdown: 20,000 idle connections exhausted the file
//! descriptors, and one idle keep-alive connection kept a SIGTERM'd server
//! running. Here every connection is served by hyper's HTTP/1 server with
//! a timer, so a client that has not sent a whole request head within
//! `header_read` (while connecting, or idle between keep-alive requests) is
//! disconnected; at most `max_connections` are served at once (the next
//! one gets a JSON 503); a connection lives at most `max_lifetime`; and on
//! shutdown idle connections close at once and busy ones get `grace` to
//! finish.
//!
//! hyper answers a request it cannot parse (a raw space in the path, a
//! head over `max_head_bytes`) itself, with an empty body. [`JsonErrors`]
//! sits between hyper and the socket and rewrites exactly those answers —
//! a 400, 414 or 431 head with `content-length: 0`, which no handler
//! writes — into the API's JSON error.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};

use super::error::{ApiError, Code};

/// The server's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; the next one is answered 503.
    pub max_connections: usize,
    /// How long a client may take to send a request head, and how long a
    /// keep-alive connection may stay idle.
    pub header_read: Duration,
    /// The largest request head read (request line and headers); larger is a 431.
    pub max_head_bytes: usize,
    /// How long one connection may live, however busy.
    pub max_lifetime: Duration,
    /// How long busy connections get to finish on shutdown.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            header_read: Duration::from_secs(10),
            max_head_bytes: 64 * 1024,
            max_lifetime: Duration::from_secs(300),
            grace: Duration::from_secs(5),
        }
    }
}

/// Serves `app` on every connection `listener` accepts until `shutdown`
/// completes, then closes idle connections, gives busy ones
/// [`Limits::grace`] to finish, and returns.
pub async fn serve_connections(
    app: Router,
    listener: TcpListener,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors or a reset before accept: wait, go on.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let app = app.clone();
                let stopping = stopping.clone();
                tokio::spawn(async move {
                    serve_one(stream, app, limits, stopping).await;
                    drop(permit);
                });
            }
            Err(_) => {
                tokio::spawn(refuse(stream));
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(limits.grace, permits.acquire_many(all)).await;
    Ok(())
}

async fn serve_one(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
) {
    let io = TokioIo::new(JsonErrors::new(stream));
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_buf_size(limits.max_head_bytes.max(8192))
        .max_header_size(limits.max_head_bytes)
        .keep_alive(true)
        .serve_connection(io, TowerToHyperService::new(app));
    tokio::pin!(conn);
    let stop = async {
        let _ = stopping.wait_for(|&s| s).await;
    };
    tokio::select! {
        ended = conn.as_mut() => {
            if let Err(e) = ended {
                tracing::debug!("connection ended: {e}");
            }
            return;
        }
        () = stop => {}
        () = tokio::time::sleep(limits.max_lifetime) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(limits.grace, conn).await;
}

/// Answers a connection over the limit with a JSON 503 and closes it.
async fn refuse(mut stream: TcpStream) {
    let error = ApiError::new(
        Code::Overloaded,
        "the server has as many connections as it serves; try again shortly",
    );
    let body = error.body();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
        stream.shutdown().await
    })
    .await;
}

/// A socket whose writes pass through, except hyper's automatic error
/// answers, which get the API's JSON error body (see the module doc).
pub struct JsonErrors<S> {
    inner: S,
    /// Bytes accepted from hyper and not yet written to the socket.
    pending: Vec<u8>,
    written: usize,
}

impl<S> JsonErrors<S> {
    /// Wraps a socket.
    pub fn new(inner: S) -> JsonErrors<S> {
        JsonErrors {
            inner,
            pending: Vec::new(),
            written: 0,
        }
    }
}

/// hyper's answer to a request it could not parse, rewritten with a JSON
/// body; `None` for anything else.
pub fn rewrite_automatic_answer(buf: &[u8]) -> Option<Vec<u8>> {
    let status: u16 = match buf.get(..12)? {
        b"HTTP/1.1 400" | b"HTTP/1.0 400" => 400,
        b"HTTP/1.1 414" | b"HTTP/1.0 414" => 414,
        b"HTTP/1.1 431" | b"HTTP/1.0 431" => 431,
        _ => return None,
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let headers: Vec<&str> = lines.collect();
    let empty = headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case("content-length: 0"));
    if !empty {
        return None;
    }
    let message = match status {
        400 => "the request is not well-formed HTTP (check the path for raw spaces or quotes)",
        414 => "the URI is longer than the server reads",
        _ => "the request's headers are larger than the server reads",
    };
    let status = axum::http::StatusCode::from_u16(status).ok()?;
    let body = ApiError::for_status(status, message).body();
    let mut out = format!(
        "{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for h in headers.iter().filter(|h| {
        let name = h.split(':').next().unwrap_or("").to_ascii_lowercase();
        name != "content-length" && name != "connection"
    }) {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(&body);
    out.extend_from_slice(&buf[end + 4..]);
    Some(out)
}

impl<S: AsyncWrite + Unpin> JsonErrors<S> {
    /// Writes what is pending to the socket.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_drain(cx))?;
        match rewrite_automatic_answer(buf) {
            Some(answer) => {
                self.pending = answer;
                // Accepted whole; written by this or a later drain.
                let _ = self.poll_drain(cx)?;
                Poll::Ready(Ok(buf.len()))
            }
            None => Pin::new(&mut self.inner).poll_write(cx, buf),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_empty_automatic_answers_are_rewritten() {
        let answer = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 01:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite_automatic_answer(answer).unwrap()).unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert_eq!(
            head,
            format!(
                "HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\ndate: Wed, 02 Dec 2026 01:00:00 GMT",
                body.len()
            )
        );
        assert_eq!(
            body,
            r#"{"error":{"code":"headers_too_large","message":"the request's headers are larger than the server reads"}}"#
        );
        // A handler's own 400 has a body; a 404 is never hyper's.
        assert_eq!(
            rewrite_automatic_answer(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 57\r\n\r\n{}"),
            None
        );
        assert_eq!(
            rewrite_automatic_answer(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"),
            None
        );
    }
}
