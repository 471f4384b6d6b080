package io.sluice.filters.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over from signal threads to the drain loop: every item taken once, in the order each thread pushed. */
class ArrivalsTest {

    @Test
    void itemsAreTakenOldestFirstAndOnlyOnce() {
        Arrivals<String> arrivals = new Arrivals<>();
        assertThat(arrivals.isEmpty()).isTrue();
        assertThat(arrivals.takeAll()).isNull();

        arrivals.push("a");
        arrivals.push("b");
        arrivals.push("c");
        assertThat(arrivals.isEmpty()).isFalse();
        assertThat(items(arrivals.takeAll())).containsExactly("a", "b", "c");
        assertThat(arrivals.isEmpty()).isTrue();
        assertThat(arrivals.takeAll()).isNull();

        arrivals.push("d");
        assertThat(items(arrivals.takeAll())).containsExactly("d");
    }

    @Test
    void pushesFromSeveralThreadsWhileTwoTakersTakeAreEachTakenOnceInTheirThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        Arrivals<int[]> arrivals = new Arrivals<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> pushers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread pusher = new Thread(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    arrivals.push(new int[] {thread, i});
                }
            }, "pusher-" + t);
            pusher.start();
            pushers.add(pusher);
        }
        List<int[]> takenByOther = new ArrayList<>();
        Thread otherTaker = new Thread(() -> {
            await(start);
            for (int round = 0; round < 2_000; round++) {
                takenByOther.addAll(items(arrivals.takeAll()));
            }
        }, "other-taker");
        otherTaker.start();

        List<List<int[]>> batches = new ArrayList<>();
        start.countDown();
        while (pushers.stream().anyMatch(Thread::isAlive)) {
            batches.add(items(arrivals.takeAll()));
        }
        otherTaker.join(TimeUnit.SECONDS.toMillis(30));
        batches.add(items(arrivals.takeAll()));
        batches.add(takenByOther);

        int[] count = new int[threads];
        for (List<int[]> batch : batches) {
            int[] last = new int[threads];
            java.util.Arrays.fill(last, -1);
            for (int[] item : batch) {
                count[item[0]]++;
                assertThat(item[1]).as("pushed by thread %d", item[0]).isGreaterThan(last[item[0]]);
                last[item[0]] = item[1];
            }
        }
        assertThat(count).containsOnly(perThread);
    }

    private static <T> List<T> items(Arrivals.Node<T> chain) {
        List<T> items = new ArrayList<>();
        for (Arrivals.Node<T> node = chain; node != null; node = node.next) {
            items.add(node.item);
        }
        return items;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
