//! Background work: the alert evaluation loop, a loop around one service call that never
//! stops the server.

pub mod alerts;
