package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.sluice.api.timer.LoopScheduler;
import io.sluice.test.TestEventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Session timers (keep-alive, pong and close timeouts) run on the event loop the session was made on, through
 * {@link LoopScheduler}, so that cancelling one on that loop takes no lock: Reactor's parallel scheduler locks its
 * executor's queue on every cancellation, which BlockHound caught once on an event loop ending a chat session.
 * {@code LoopSchedulerTest} in toolkit-test checks the scheduler itself.
 */
class SessionTimerSchedulerTest {

    @Test
    void aSessionMadeOnAnEventLoopRunsItsTimersOnThatLoop() throws Exception {
        try (TestEventLoop owned = TestEventLoop.start()) {
            EventLoop loop = owned.loop();
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            CompletableFuture<Boolean> cancelledQuietly = new CompletableFuture<>();
            loop.execute(() -> {
                Scheduler timers = WebSocketSettings.defaults().timerScheduler();
                assertThat(timers).isSameAs(WebSocketSettings.defaults().timerScheduler())
                        .isSameAs(LoopScheduler.of(loop));
                timers.schedule(() -> ranOn.complete(Thread.currentThread().getName()), 10, TimeUnit.MILLISECONDS);
                Disposable never = timers.schedule(() -> cancelledQuietly.complete(false), 1, TimeUnit.HOURS);
                never.dispose(); // on the loop itself: the test kit's BlockHound fails the test if this blocks
                cancelledQuietly.complete(true);
            });
            assertThat(ranOn.get(5, TimeUnit.SECONDS)).isEqualTo(owned.threadName());
            assertThat(cancelledQuietly.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void offAnyEventLoopTimersRunOnTheParallelScheduler() {
        assertThat(WebSocketSettings.defaults().timerScheduler()).isSameAs(Schedulers.parallel());
    }

    @Test
    void aSchedulerSetInTheSettingsIsUsedEverywhere() throws Exception {
        Scheduler own = Schedulers.single();
        WebSocketSettings settings = WebSocketSettings.builder().scheduler(own).build();
        try (TestEventLoop owned = TestEventLoop.start()) {
            CompletableFuture<Scheduler> onLoop = new CompletableFuture<>();
            owned.loop().execute(() -> onLoop.complete(settings.timerScheduler()));
            assertThat(onLoop.get(5, TimeUnit.SECONDS)).isSameAs(own);
            assertThat(settings.timerScheduler()).isSameAs(own);
            assertThat(settings.toBuilder().build().scheduler()).isSameAs(own);
            assertThat(WebSocketSettings.defaults().toBuilder().build().scheduler()).isSameAs(Schedulers.parallel());
        }
    }
}
