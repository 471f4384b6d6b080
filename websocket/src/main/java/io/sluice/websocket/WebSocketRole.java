package io.sluice.websocket;
/** Which end of the connection we are: clients mask what they send, servers must not. */
public enum WebSocketRole { CLIENT, SERVER }
