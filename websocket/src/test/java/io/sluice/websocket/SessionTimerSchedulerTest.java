package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.sluice.api.timer.LoopScheduler;
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
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            EventLoop loop = group.next();
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
            assertThat(ranOn.get(5, TimeUnit.SECONDS)).isEqualTo(threadOf(loop));
            assertThat(cancelledQuietly.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
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
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            CompletableFuture<Scheduler> onLoop = new CompletableFuture<>();
            group.next().execute(() -> onLoop.complete(settings.timerScheduler()));
            assertThat(onLoop.get(5, TimeUnit.SECONDS)).isSameAs(own);
            assertThat(settings.timerScheduler()).isSameAs(own);
            assertThat(settings.toBuilder().build().scheduler()).isSameAs(own);
            assertThat(WebSocketSettings.defaults().toBuilder().build().scheduler()).isSameAs(Schedulers.parallel());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static String threadOf(EventLoop loop) throws Exception {
        return loop.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
    }
}
