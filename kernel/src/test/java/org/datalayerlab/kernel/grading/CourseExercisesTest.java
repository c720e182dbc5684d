package org.datalayerlab.kernel.grading;

import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The course's own notebooks against the grader's rules, without running them (./lab run does
 * that): the instructor's version and the released one prepare for grading with no flag, and no
 * solution counts as shadowing what the set-up or tests use, so honest work is never disqualified.
 */
class CourseExercisesTest {

    private static List<Path> assignments() throws Exception {
        Path notebooks = Path.of("..", "notebooks").toAbsolutePath().normalize();
        try (Stream<Path> all = Files.list(notebooks)) {
            List<Path> found = all.filter(p -> p.toString().endsWith(".ipynb")).sorted().filter(p -> {
                try {
                    return Release.isAssignment(Notebook.read(p));
                } catch (Exception e) {
                    throw new AssertionError(p + ": " + e, e);
                }
            }).toList();
            assertFalse(found.isEmpty(), "no notebook with exercises in " + notebooks);
            return found;
        }
    }

    @Test
    void everyExercisePreparesCleanlyFromTheInstructorsAndTheReleasedVersion() throws Exception {
        for (Path nb : assignments()) {
            Notebook instructor = Notebook.read(nb);
            String name = nb.getFileName().toString();
            Grade.Prepared solved = Grade.prepare(instructor, name, instructor, name);
            assertTrue(solved.flags().isEmpty(), name + " (instructor's version): " + solved.flags());
            assertTrue(solved.disqualified().isEmpty(), name + ": the solution is taken for shadowing: " + solved.disqualified());
            Grade.Prepared released = Grade.prepare(instructor, name, Release.studentVersion(instructor, name), name);
            assertTrue(released.flags().isEmpty(), name + " (released version): " + released.flags());
            assertTrue(released.disqualified().isEmpty(), name + ": " + released.disqualified());
        }
    }
}
