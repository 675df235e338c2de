package bench;

/** Entry point plain Jib needs to build an image; the benchmark never runs it. */
public final class Main {
    private Main() {
    }

    /**
     * Prints the size of the benchmark file baked into the image.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println(new java.io.File("/data/blob.bin").length());
    }
}
