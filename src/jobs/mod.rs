//! Background work: the alert evaluation loop and the alert webhook's sender. Each is a loop
//! around one service call; neither ever stops the server.

pub mod alerts;
pub mod webhook;
