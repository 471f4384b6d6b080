package io.sluice.api;

import org.reactivestreams.Publisher;

/**
 * The application: given the topmost connection, returns a publisher whose termination ends the connection.
 * When it completes or errors, the runtime closes the connection; an error is logged with the connection id.
 */
@FunctionalInterface
public interface Handler {

    Publisher<Void> handle(Connection connection);
}
