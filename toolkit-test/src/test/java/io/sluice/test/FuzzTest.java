package io.sluice.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fuzz kit gives the same inputs for the same seed, never changes what it mutates, and names inputs fully. */
class FuzzTest {

    private final Properties saved = new Properties();

    /** A run may set the two properties (a long run, a replay): these tests start without them, and put them back. */
    @BeforeEach
    void clearTheProperties() {
        for (String name : new String[] {Fuzz.SEED_PROPERTY, Fuzz.ITERATIONS_PROPERTY}) {
            String value = System.getProperty(name);
            if (value != null) {
                saved.setProperty(name, value);
                System.clearProperty(name);
            }
        }
    }

    @AfterEach
    void restoreTheProperties() {
        System.clearProperty(Fuzz.SEED_PROPERTY);
        System.clearProperty(Fuzz.ITERATIONS_PROPERTY);
        saved.forEach((name, value) -> System.setProperty((String) name, (String) value));
    }

    private static final byte[] VALID = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theSameSeedGivesTheSameInputs() {
        assertThat(inputs(Fuzz.seeds(3)[2])).isEqualTo(inputs(Fuzz.seeds(3)[2]));
        assertThat(inputs(Fuzz.seeds()[0])).isNotEqualTo(inputs(Fuzz.seeds()[1]));
        assertThat(Fuzz.random(7, 3).nextLong()).isEqualTo(Fuzz.random(7, 3).nextLong())
                .isNotEqualTo(Fuzz.random(7, 4).nextLong());
    }

    @Test
    void seedsAreFixedAndOneCanBeReplayedAlone() {
        assertThat(Fuzz.seeds()).hasSize(16).doesNotHaveDuplicates();
        assertThat(Fuzz.seeds(4)).containsExactly(Fuzz.seeds()[0], Fuzz.seeds()[1], Fuzz.seeds()[2], Fuzz.seeds()[3]);
        System.setProperty(Fuzz.SEED_PROPERTY, "-42");
        try {
            assertThat(Fuzz.seeds(8)).containsExactly(-42L);
        } finally {
            System.clearProperty(Fuzz.SEED_PROPERTY);
        }
    }

    @Test
    void iterationsAreMultipliedByTheProperty() {
        assertThat(Fuzz.iterations(30)).isEqualTo(30);
        System.setProperty(Fuzz.ITERATIONS_PROPERTY, "10");
        try {
            assertThat(Fuzz.iterations(30)).isEqualTo(300);
        } finally {
            System.clearProperty(Fuzz.ITERATIONS_PROPERTY);
        }
    }

    @Test
    void aMutationLeavesItsInputAloneAndSaysWhatItDid() {
        byte[] copy = VALID.clone();
        SplittableRandom random = Fuzz.random(1);
        int changed = 0;
        for (int i = 0; i < 500; i++) {
            Mutations.Mutant m = Mutations.mutate(random, VALID);
            assertThat(m.how()).isNotBlank();
            changed += Arrays.equals(m.bytes(), VALID) ? 0 : 1;
        }
        assertThat(VALID).isEqualTo(copy);
        assertThat(changed).as("mutants unlike their input").isGreaterThan(400);
        assertThat(Mutations.mutate(random, new byte[0]).bytes()).isNotNull();
    }

    @Test
    void splitsAndCutsCoverTheInputInOrder() {
        SplittableRandom random = Fuzz.random(2);
        for (int i = 0; i < 200; i++) {
            byte[] input = Mutations.randomBytes(random, 300);
            List<byte[]> pieces = Mutations.split(random, input, 1 + random.nextInt(40));
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            pieces.forEach(joined::writeBytes);
            assertThat(joined.toByteArray()).isEqualTo(input);
            int[] cuts = Mutations.cuts(random, input.length);
            assertThat(cuts).isSorted().doesNotHaveDuplicates();
            for (int cut : cuts) {
                assertThat(cut).isBetween(1, input.length - 1);
            }
        }
    }

    @Test
    void aDescriptionNamesTheSeedTheInputAndItsBytes() {
        byte[] big = new byte[1000];
        big[0] = (byte) 0xAB;
        big[999] = (byte) 0xCD;
        assertThat(Fuzz.describe(5, 17, "a mutated head", new byte[] {0x0d, 0x0a}))
                .isEqualTo("seed 5 (-Dsluice.fuzz.seed=5), input #17, a mutated head: 2 bytes 0d0a");
        assertThat(Fuzz.hex(big)).startsWith("1000 bytes ab").endsWith("cd").contains(" ... ").hasSizeLessThan(300);
        ByteBuf two = Unpooled.wrappedBuffer(new byte[] {1, 2});
        try {
            assertThat(Fuzz.hex(two)).isEqualTo("2 bytes 0102");
        } finally {
            two.release();
        }
    }

    /** A seed's first inputs, in hex (so that lists of them compare by content). */
    private static List<String> inputs(long seed) {
        SplittableRandom random = Fuzz.random(seed);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            inputs.add(Fuzz.hex(Mutations.mutate(random, VALID).bytes()));
            inputs.add(Fuzz.hex(Mutations.randomBytes(random, 64)));
        }
        return inputs;
    }
}
