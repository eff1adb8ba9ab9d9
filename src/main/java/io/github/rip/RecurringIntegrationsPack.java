package io.github.rip;

import java.util.Arrays;

import io.github.rip.emulator.EmulatorMain;
import org.apache.camel.main.Main;

/**
 * Starts the runner: Camel Main with the pack's route templates and the user's routes/ folder.
 * {@code java -jar recurring-integrations-pack.jar emulator ...} starts the D365 emulator alone instead.
 */
public final class RecurringIntegrationsPack {

    private RecurringIntegrationsPack() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "emulator".equals(args[0])) {
            EmulatorMain.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Main main = new Main();
        main.configure().addConfiguration(PackConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(configLocation());
        main.run(args);
    }

    /** application.properties in the working directory, or the file named by RIP_CONFIG. */
    static String configLocation() {
        String file = System.getenv().getOrDefault("RIP_CONFIG", "application.properties");
        return "file:" + file;
    }
}
