package dev.nabla.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thread rule of a {@link Model}: any number of threads may read it at once ({@code predict},
 * {@code evaluate}, {@code getWeights}, {@code save}), but a call that changes it ({@code fit},
 * {@code setWeights}, {@code compile}, {@code close}) runs alone. A call that breaks the rule fails
 * at once with an {@link IllegalStateException} naming the other call and its thread; nothing
 * waits, so a mistake is found rather than hidden. The thread running a changing call may do
 * anything (callbacks run on it).
 */
final class UseGuard {
    /** A use in progress; closing it ends the use. */
    interface Use extends AutoCloseable {
        @Override
        void close();
    }

    private final Model model;
    private Thread writer;
    private String writerCall;
    private int writerDepth;
    private final Map<Thread, Integer> readers = new LinkedHashMap<>();
    private final Map<Thread, String> readerCalls = new LinkedHashMap<>();

    UseGuard(Model model) {
        this.model = model;
    }

    /** Starts a reading call: refused while another thread changes the model. */
    synchronized Use read(String call) {
        Thread me = Thread.currentThread();
        if (writer != null && writer != me) {
            throw busy(call, writerCall, writer, 0, "would see the weights in the middle of an update");
        }
        readers.merge(me, 1, Integer::sum);
        readerCalls.putIfAbsent(me, call);
        return () -> endRead(me);
    }

    /** Starts a changing call: refused while any other thread uses the model. */
    synchronized Use write(String call) {
        Thread me = Thread.currentThread();
        if (writer != null && writer != me) {
            throw busy(call, writerCall, writer, 0, "would change the model under it");
        }
        for (Map.Entry<Thread, String> other : readerCalls.entrySet()) {
            if (other.getKey() != me) {
                throw busy(
                        call,
                        other.getValue(),
                        other.getKey(),
                        readerCalls.size() - 1 - (readerCalls.containsKey(me) ? 1 : 0),
                        "would change the weights it is reading");
            }
        }
        if (writer == null) {
            writer = me;
            writerCall = call;
        }
        writerDepth++;
        return this::endWrite;
    }

    private synchronized void endRead(Thread me) {
        int left = readers.merge(me, -1, Integer::sum);
        if (left == 0) {
            readers.remove(me);
            readerCalls.remove(me);
        }
    }

    private synchronized void endWrite() {
        if (--writerDepth == 0) {
            writer = null;
            writerCall = null;
        }
    }

    private IllegalStateException busy(String call, String otherCall, Thread other, int more, String why) {
        return new IllegalStateException(
                call + ": model '" + model.name() + "' is in use by " + otherCall + " on thread '"
                        + other.getName() + "'" + (more > 0 ? " (and " + more + " more)" : "") + "; running " + call
                        + " from thread '"
                        + Thread.currentThread().getName() + "' now " + why
                        + ". Expected: predict/evaluate/getWeights/save from any "
                        + "number of threads, fit/setWeights/compile/close alone (see docs/reliability.md)");
    }
}
