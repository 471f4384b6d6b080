package io.sluice.filters.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The bucket's arithmetic on an explicit clock, in nanoseconds. */
class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFreshBucketLetsTheBurstAndOneMoreTransferGoAtOnce() {
        TokenBucket bucket = new TokenBucket(1000, 100);
        assertThat(bucket.delay(0)).isZero();
        bucket.charge(100, 0);
        assertThat(bucket.delay(0)).as("after exactly the burst").isZero();
        bucket.charge(1000, 0);
        assertThat(bucket.delay(0)).as("1,100 B at 1,000 B/s, less the burst's 0.1 s").isEqualTo(SECOND);
        assertThat(bucket.delay(SECOND / 2)).isEqualTo(SECOND / 2);
        assertThat(bucket.delay(2 * SECOND)).isZero();
    }

    @Test
    void anIdleSpellBanksNoMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 100);
        bucket.charge(10, 0);
        bucket.charge(1000, 100 * SECOND); // after 100 idle seconds: charged from then, not from 0
        assertThat(bucket.delay(100 * SECOND)).isEqualTo(SECOND - SECOND / 10);
    }

    @Test
    void holdsTheRateOverManyTransfers() {
        TokenBucket bucket = new TokenBucket(10_000, 1000);
        long now = 0;
        for (int i = 0; i < 1000; i++) {
            now += bucket.delay(now);
            bucket.charge(1000, now);
        }
        // 1,000,000 B at 10,000 B/s: the last transfer starts once all but it and the burst are paid for.
        assertThat(now).isEqualTo((1_000_000L - 1000 - 1000) * SECOND / 10_000);
    }

    @Test
    void roundsCostsUpAndNeverOverflows() {
        TokenBucket slow = new TokenBucket(3, 1);
        slow.charge(2, 0); // 2/3 s, rounded up to the nanosecond
        assertThat(slow.delay(0)).isEqualTo(666_666_667L - 333_333_334L);

        TokenBucket fast = new TokenBucket(Long.MAX_VALUE, 1);
        fast.charge(Integer.MAX_VALUE, 0);
        assertThat(fast.delay(0)).isZero();

        TokenBucket oneBytePerSecond = new TokenBucket(1, Long.MAX_VALUE);
        oneBytePerSecond.charge(Long.MAX_VALUE, 0); // saturates instead of wrapping
        assertThat(oneBytePerSecond.delay(0)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void refusesARateOrBurstBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(0, 1))
                .withMessage("rate must be > 0 bytes per second, got 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(1, 0))
                .withMessage("burst must be > 0 bytes, got 0");
    }
}
