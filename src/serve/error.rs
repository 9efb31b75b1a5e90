//! The one HTTP error type: a code, a status from one table, a message.
//! Body: `{"error":{"code":"…","message":"…"}}`. Internal errors are logged
//! and answered with a generic message, never their details.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What went wrong, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A parameter has a value the API does not accept.
    BadParameter,
    /// `q` is missing or empty.
    MissingQuery,
    /// `q` is longer than the API accepts.
    QueryTooLong,
    /// The query string is not valid percent-encoded UTF-8.
    BadEncoding,
    /// No such bulletin, KB or page.
    NotFound,
    /// The request is not well-formed HTTP (a raw space in the path, a path
    /// segment that is not UTF-8 …).
    BadRequest,
    /// The path exists, the method does not (only GET and HEAD do).
    MethodNotAllowed,
    /// The request took longer than the server allows.
    Timeout,
    /// The URI is longer than the server reads.
    UriTooLong,
    /// The request's headers are larger than the server reads.
    HeadersTooLarge,
    /// The server has as many connections as it takes; try again shortly.
    Overloaded,
    /// Something broke inside.
    Internal,
}

/// code → (name, status): the one mapping table.
const TABLE: &[(Code, &str, StatusCode)] = &[
    (Code::BadParameter, "bad_parameter", StatusCode::BAD_REQUEST),
    (Code::MissingQuery, "missing_query", StatusCode::BAD_REQUEST),
    (
        Code::QueryTooLong,
        "query_too_long",
        StatusCode::BAD_REQUEST,
    ),
    (Code::BadEncoding, "bad_encoding", StatusCode::BAD_REQUEST),
    (Code::NotFound, "not_found", StatusCode::NOT_FOUND),
    (Code::BadRequest, "bad_request", StatusCode::BAD_REQUEST),
    (
        Code::MethodNotAllowed,
        "method_not_allowed",
        StatusCode::METHOD_NOT_ALLOWED,
    ),
    (Code::Timeout, "timeout", StatusCode::REQUEST_TIMEOUT),
    (Code::UriTooLong, "uri_too_long", StatusCode::URI_TOO_LONG),
    (
        Code::HeadersTooLarge,
        "headers_too_large",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
    ),
    (
        Code::Overloaded,
        "overloaded",
        StatusCode::SERVICE_UNAVAILABLE,
    ),
    (
        Code::Internal,
        "internal",
        StatusCode::INTERNAL_SERVER_ERROR,
    ),
];

/// An API error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code.
    pub code: Code,
    /// A message for the user.
    pub message: String,
}

impl ApiError {
    /// An error with a message.
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// An internal failure: logged in full, answered generically.
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {e}");
        ApiError::new(Code::Internal, "internal error; see the server log")
    }

    /// The error an HTTP layer below the handlers answered with `status`
    /// (axum's rejections, hyper's automatic answers), with `message`.
    pub fn for_status(status: StatusCode, message: impl Into<String>) -> ApiError {
        // The last row with a status is its generic code (400: bad_request).
        let code = TABLE.iter().rev().find(|&&(_, _, s)| s == status).map_or(
            if status.is_server_error() {
                Code::Internal
            } else {
                Code::BadRequest
            },
            |&(c, _, _)| c,
        );
        ApiError::new(code, message)
    }

    /// The JSON body of this error, as bytes.
    pub fn body(&self) -> Vec<u8> {
        let (name, _) = self.entry();
        serde_json::to_vec(&ErrorBody {
            error: ErrorDetail {
                code: name.to_string(),
                message: self.message.clone(),
            },
        })
        .expect("error bodies serialise")
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        self.entry().1
    }

    fn entry(&self) -> (&'static str, StatusCode) {
        TABLE
            .iter()
            .find(|(c, _, _)| *c == self.code)
            .map(|&(_, name, status)| (name, status))
            .unwrap_or(("internal", StatusCode::INTERNAL_SERVER_ERROR))
    }
}

/// The error body, as documented.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code (`bad_parameter`, `not_found`, …).
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (name, status) = self.entry();
        let body = ErrorBody {
            error: ErrorDetail {
                code: name.to_string(),
                message: self.message,
            },
        };
        (status, Json(body)).into_response()
    }
}

impl From<crate::Error> for ApiError {
    fn from(e: crate::Error) -> ApiError {
        ApiError::internal(e)
    }
}
