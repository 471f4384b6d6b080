package io.sluice.websocket.handshake;

import java.util.List;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} field (RFC 6455 §9.1): an extension name and its parameters, in
 * order, with quoted values already unquoted. A parameter without a value has a null value.
 */
record ExtensionOffer(String name, List<Param> params) {

    record Param(String name, String value) {
        Param {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return value == null ? name : name + "=" + value;
        }
    }

    ExtensionOffer {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (Param p : params) {
            sb.append("; ").append(p);
        }
        return sb.toString();
    }
}
