package bench;

import java.io.File;
import java.util.concurrent.CountDownLatch;

/** The benchmark's app: prints the size of the baked file, then runs until the container is stopped. */
public final class DataApp {
    private DataApp() {
    }

    /**
     * Prints {@code BENCH-APP <size>} and waits.
     *
     * @param args the data file's path
     * @throws InterruptedException never in practice: the JVM is stopped by a signal
     */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("BENCH-APP " + new File(args[0]).length());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
