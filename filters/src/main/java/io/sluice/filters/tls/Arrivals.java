package io.sluice.filters.tls;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Items pushed from any thread and taken all at once, in the order they were pushed: the hand-over from signals
 * (buffers arriving, sends subscribed) to the driver's drain loop. Lock-free, and nothing is allocated while it is
 * empty, which is most of an idle connection's life: one node per item while it waits, no sentinel (a
 * {@code ConcurrentLinkedQueue} keeps one, and its own object, for as long as the connection lives).
 *
 * <p>A push links a node on top of a stack with one compare-and-set; {@link #takeAll()} detaches the whole stack
 * with one swap and returns it reversed, oldest first. Whoever takes a chain owns its items; two takers never get
 * the same item, so the drain loop and a thread releasing everything on an error may both take.
 *
 * @param <T> the items
 */
final class Arrivals<T> {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Arrivals, Node> TOP =
            AtomicReferenceFieldUpdater.newUpdater(Arrivals.class, Node.class, "top");

    /** One item of a taken chain; {@link #next} is the one pushed after it. */
    static final class Node<T> {
        final T item;
        Node<T> next;

        private Node(T item, Node<T> next) {
            this.item = item;
            this.next = next;
        }
    }

    private volatile Node<T> top;

    /** Adds {@code item}; any thread. */
    @SuppressWarnings("unchecked")
    void push(T item) {
        Node<T> node = new Node<>(item, null);
        for (;;) {
            Node<T> current = top;
            node.next = current;
            if (TOP.compareAndSet(this, current, node)) {
                return;
            }
        }
    }

    /** Everything pushed so far, oldest first (null when nothing was), now the caller's. Any thread. */
    @SuppressWarnings("unchecked")
    Node<T> takeAll() {
        Node<T> newest = TOP.getAndSet(this, null);
        Node<T> oldestFirst = null;
        while (newest != null) {
            Node<T> next = newest.next;
            newest.next = oldestFirst;
            oldestFirst = newest;
            newest = next;
        }
        return oldestFirst;
    }

    boolean isEmpty() {
        return top == null;
    }
}
