package io.github.rip.exporting;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.github.rip.packaging.PackageLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unzipping a downloaded package never writes outside the staging folder and stops zip bombs early. */
class PackageUnpackerTest {

    @TempDir
    Path dir;

    private final PackageUnpacker unpacker = new PackageUnpacker(PackageLimits.DEFAULTS);

    @Test
    void entity_files_are_unpacked_flat_and_the_package_files_left_out_unless_asked() throws IOException {
        Path zip = zip(Map.of("Manifest.xml", "<m/>", "PACKAGEHEADER.XML", "<h/>", "Customer groups.csv", "a,b",
                "sub/folder/Currencies.csv", "c,d"));

        List<PackageUnpacker.Unpacked> files = unpacker.unpack(zip, dir.resolve("out"), false);
        assertThat(files).extracting(PackageUnpacker.Unpacked::entryName)
                .containsExactlyInAnyOrder("Customer groups.csv", "sub/folder/Currencies.csv");
        assertThat(files).extracting(u -> u.file().getFileName().toString())
                .containsExactlyInAnyOrder("Customer groups.csv", "sub_folder_Currencies.csv");
        assertThat(Files.readString(dir.resolve("out/sub_folder_Currencies.csv"))).isEqualTo("c,d");

        assertThat(unpacker.unpack(zip, dir.resolve("all"), true)).hasSize(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.csv", "a/../../evil.csv", "/etc/evil.csv", "\\\\server\\share\\evil.csv",
            "C:\\\\evil.csv", "c:evil.csv", "..\\\\evil.csv", "evil\u0000.csv", "new\nline.csv"})
    void a_zip_slip_entry_rejects_the_whole_package_before_anything_is_written(String evil) throws IOException {
        Path zip = zip(new LinkedHashMap<>(Map.of("good.csv", "fine")));
        Path withEvil = appendEntry(zip, evil);
        Path target = dir.resolve("stage/out");

        assertThatThrownBy(() -> unpacker.unpack(withEvil, target, false))
                .isInstanceOf(ExportRejectedException.class).hasMessageContaining("escapes the package folder");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsOnly("package.zip");
        }
    }

    @Test
    void a_zip_bomb_stops_at_the_ratio_limit() throws IOException {
        Path zip = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("zeros.csv"));
            out.write(new byte[4 << 20]);
        }
        PackageUnpacker strict = new PackageUnpacker(new PackageLimits(100, 1L << 30, 50, 1 << 20));

        assertThatThrownBy(() -> strict.unpack(zip, dir.resolve("out"), false))
                .isInstanceOf(ExportRejectedException.class).hasMessageContaining("ratio").hasMessageContaining("zip bomb");
    }

    @Test
    void the_total_size_and_entry_count_are_limited() throws IOException {
        Path zip = zip(Map.of("a.csv", "x".repeat(600), "b.csv", "y".repeat(600)));

        assertThatThrownBy(() -> new PackageUnpacker(new PackageLimits(100, 1000, 1000, 1 << 20))
                .unpack(zip, dir.resolve("o1"), false)).hasMessageContaining("exceed 1000 bytes");
        assertThatThrownBy(() -> new PackageUnpacker(new PackageLimits(1, 1L << 30, 1000, 1 << 20))
                .unpack(zip, dir.resolve("o2"), false)).hasMessageContaining("2 entries");
    }

    @Test
    void names_that_collide_once_flattened_are_refused_and_a_non_zip_is_recognised() throws IOException {
        Path zip = zip(new LinkedHashMap<>(Map.of("a/b.csv", "1", "A_B.csv", "2")));
        assertThatThrownBy(() -> unpacker.unpack(zip, dir.resolve("o"), false)).hasMessageContaining("more than once");

        Path csv = Files.writeString(dir.resolve("plain.csv"), "a,b");
        assertThat(PackageUnpacker.isZip(csv)).isFalse();
        assertThat(PackageUnpacker.isZip(zip)).isTrue();
        assertThatThrownBy(() -> unpacker.unpack(csv, dir.resolve("o3"), false))
                .isInstanceOf(ExportRejectedException.class).hasMessageContaining("not a readable zip");
    }

    private Path zip(Map<String, String> entries) throws IOException {
        Path zip = dir.resolve("package.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return zip;
    }

    /** Rewrites the zip with one more entry whose name is taken as it is. */
    private Path appendEntry(Path zip, String name) throws IOException {
        Path copy = dir.resolve("copy.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy));
             java.util.zip.ZipFile in = new java.util.zip.ZipFile(zip.toFile())) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
            }
            out.putNextEntry(new ZipEntry(name));
            out.write("owned".getBytes(StandardCharsets.UTF_8));
        }
        Files.move(copy, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return zip;
    }
}
