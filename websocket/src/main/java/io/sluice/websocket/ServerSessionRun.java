package io.sluice.websocket;

import io.sluice.api.Connection;
import io.sluice.api.ConnectionClosedException;
import io.sluice.api.GracefulShutdown;
import io.sluice.api.operator.EndSubscriber;
import io.sluice.websocket.frame.WebSocketProtocol;
import io.sluice.websocket.handshake.HandshakeResult;
import io.sluice.websocket.handshake.ServerHandshake;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;

/**
 * One connection of a {@link WebSocketServer}, as the {@code Publisher<Void>} its handler returns: the handshake,
 * then the application on the session; completes once the session has ended. See {@link WebSocketServer} for the
 * behaviour.
 *
 * <p>Written out rather than composed from operators because a server holds very many idle sessions: once the
 * handshake has delivered its result, this lets go of the handshake's operators (a composed {@code flatMap} would
 * keep them reachable for the life of the connection), and the session's end, the application's end and the
 * server's shutdown signal each cost one field here instead of an operator chain and sinks.
 *
 * <p>Threading: the handshake's signals, the application's, the session's end and the connection's cancel may come
 * from different threads; each step is claimed once with a compare-and-set. Holds no buffers.
 */
final class ServerSessionRun extends Mono<Void> implements Subscription, CoreSubscriber<HandshakeResult> {

    private static final CloseStatus SHUTTING_DOWN = CloseStatus.of(WebSocketProtocol.CLOSE_GOING_AWAY,
            "server shutting down");
    private static final CloseStatus INTERNAL_ERROR = CloseStatus.of(WebSocketProtocol.CLOSE_INTERNAL_ERROR,
            "internal error");

    private static final AtomicIntegerFieldUpdater<ServerSessionRun> SUBSCRIBED =
            AtomicIntegerFieldUpdater.newUpdater(ServerSessionRun.class, "subscribed");
    private static final AtomicIntegerFieldUpdater<ServerSessionRun> DONE =
            AtomicIntegerFieldUpdater.newUpdater(ServerSessionRun.class, "done");

    private final Connection connection;
    private final ServerHandshake handshake;
    private final WebSocketSettings settings;
    private final Function<? super WebSocketSession, ? extends Publisher<Void>> application;

    private volatile int subscribed;
    /** Set once by whichever ends the run: the downstream is told (or was cancelled). */
    private volatile int done;
    private volatile boolean cancelled;
    private volatile CoreSubscriber<? super Void> actual;
    /** The handshake's subscription, dropped once it delivered, so that its operators can be collected. */
    private volatile Subscription handshakeSubscription;
    private volatile boolean upgraded;
    private volatile FramedSession session;
    private volatile Watch app;
    private volatile Watch goingAway;

    ServerSessionRun(Connection connection, ServerHandshake handshake, WebSocketSettings settings,
                     Function<? super WebSocketSession, ? extends Publisher<Void>> application) {
        this.connection = connection;
        this.handshake = handshake;
        this.settings = settings;
        this.application = application;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Void> subscriber) {
        if (!SUBSCRIBED.compareAndSet(this, 0, 1)) {
            Operators.error(subscriber, new IllegalStateException("a WebSocket connection is run once"));
            return;
        }
        actual = subscriber;
        subscriber.onSubscribe(this);
        handshake.accept(connection, this::upgrading).subscribe(this);
    }

    // The downstream's handle.

    @Override
    public void request(long n) {
        // completion only: nothing to request
    }

    @Override
    public void cancel() {
        cancelled = true;
        DONE.compareAndSet(this, 0, 1);
        Subscription h = handshakeSubscription;
        if (h != null) {
            h.cancel();
        }
        stopWatches();
    }

    @Override
    public Context currentContext() {
        CoreSubscriber<? super Void> a = actual;
        return a != null ? a.currentContext() : Context.empty();
    }

    // The handshake.

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.validate(handshakeSubscription, s)) {
            handshakeSubscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }
    }

    @Override
    public void onNext(HandshakeResult result) {
        upgraded = true;
        handshakeSubscription = null;
        if (cancelled) {
            result.connection().close();
            return;
        }
        start(result);
    }

    @Override
    public void onError(Throwable t) {
        if (!upgraded && DONE.compareAndSet(this, 0, 1)) {
            stopWatches();
            actual.onError(t);
        }
    }

    @Override
    public void onComplete() {
        // empty: the request was answered otherwise (or the 101 could not be sent) and the connection closed
        if (!upgraded && DONE.compareAndSet(this, 0, 1)) {
            stopWatches();
            actual.onComplete();
        }
    }

    // The session.

    /**
     * Just before the 101 goes out: a shutdown from now on is the session's to finish with 1001, not an end of its
     * input. Taken over here rather than once the session is made, since the peer may see the 101, and the server
     * begin shutting down, before the handshake's result arrives.
     */
    private void upgrading() {
        Optional<GracefulShutdown> shutdown = GracefulShutdown.of(connection);
        if (shutdown.isPresent() && goingAway == null) {
            Watch w = new Watch(false);
            goingAway = w;
            shutdown.get().takeOver().subscribe(w);
        }
    }

    private void start(HandshakeResult result) {
        FramedSession s;
        try {
            s = (FramedSession) WebSocketSession.create(new HandshakeLayer(result), WebSocketRole.SERVER,
                    result.version(), result.subprotocol(), result.deflate(), settings);
        } catch (RuntimeException e) {
            stopWatches();
            result.connection().close();
            if (DONE.compareAndSet(this, 0, 1)) {
                actual.onError(e);
            }
            return;
        }
        session = s;
        if (goingAway != null && goingAway.hasEnded()) {
            shutdownStarted(); // the server began shutting down while the session was being made
        }
        Publisher<Void> p;
        try {
            p = application.apply(s);
        } catch (RuntimeException e) {
            p = Mono.error(e);
        }
        Watch a = new Watch(true);
        app = a;
        p.subscribe(a);
        s.whenEnded(this::sessionEnded);
    }

    private void appEnded(Throwable error) {
        FramedSession s = session;
        if (error != null) {
            applicationFailed(s, error);
        }
        s.close();
    }

    private void shutdownStarted() {
        FramedSession s = session;
        if (s == null) {
            return; // start() closes it once made
        }
        logger().debug("connection {}: server shutting down, closing the WebSocket session with 1001",
                connection.info().id());
        s.close(SHUTTING_DOWN);
    }

    /** The session has ended: the application is cancelled if it still runs, and the connection's run is over. */
    private void sessionEnded() {
        stopWatches();
        if (DONE.compareAndSet(this, 0, 1)) {
            actual.onComplete();
        }
    }

    private void stopWatches() {
        Watch w = app;
        if (w != null) {
            w.cancel();
        }
        w = goingAway;
        if (w != null) {
            w.cancel();
        }
    }

    private static void applicationFailed(WebSocketSession session, Throwable e) {
        if (e instanceof ConnectionClosedException) {
            // a send that was cut short by the session's end: nothing the application did wrong
            logger().debug("connection {}: WebSocket send ended by the session's close: {}", session.info().id(),
                    e.toString());
        } else {
            logger().warn("connection " + session.info().id() + ": WebSocket session handler failed, closing with 1011",
                    e);
            session.close(INTERNAL_ERROR);
        }
    }

    /** Looked up on use, so that a logger factory installed later (a test's capture) sees the line. */
    private static Logger logger() {
        return Loggers.getLogger(WebSocketServer.class);
    }

    /**
     * Subscribes to the application's publisher, or to the server's shutdown signal, in the context of the session's
     * own subscriber; cancelled by {@link #cancel()}.
     */
    private final class Watch extends EndSubscriber {
        private final boolean application;

        Watch(boolean application) {
            this.application = application;
        }

        @Override
        public Context currentContext() {
            return ServerSessionRun.this.currentContext();
        }

        @Override
        protected void ended(Throwable error) {
            if (application) {
                appEnded(error);
            } else if (error == null) {
                shutdownStarted();
            }
        }
    }
}
