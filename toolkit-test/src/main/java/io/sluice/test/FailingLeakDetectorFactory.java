package io.sluice.test;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

/**
 * Makes Netty's leak detectors record each report in the running test's scope, on top of logging it, so that the
 * test fails. Netty only logs a leak when its logger has errors enabled; these detectors report regardless.
 */
final class FailingLeakDetectorFactory extends ResourceLeakDetectorFactory {

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
            long maxActive) {
        return new RecordingDetector<>(resource, samplingInterval);
    }

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        return new RecordingDetector<>(resource, samplingInterval);
    }

    static final class RecordingDetector<T> extends ResourceLeakDetector<T> {

        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            TestScope.recordNettyLeak("LEAK: " + resourceType + ".release() was not called before it was "
                    + "garbage-collected. Recent access records:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            TestScope.recordNettyLeak("LEAK: " + resourceType + ".release() was not called before it was "
                    + "garbage-collected (no access records; it was not sampled)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
