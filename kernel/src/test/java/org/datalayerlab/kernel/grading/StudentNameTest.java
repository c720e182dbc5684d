package org.datalayerlab.kernel.grading;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who a submission belongs to: nbgrader's submitted/STUDENT/ layout, else the folder, else the file. */
class StudentNameTest {

    private static final Path SOURCE = Path.of("/course/notebooks/hw-basics.ipynb");

    @Test
    void nbgradersLayout() {
        assertEquals("alice", GradeCommand.studentOf(Path.of("/c/submitted/alice/week1/hw-basics.ipynb"), SOURCE));
    }

    @Test
    void theFolderWhenTheFileKeepsTheNotebooksName() {
        assertEquals("bob", GradeCommand.studentOf(Path.of("/inbox/bob/hw-basics.ipynb"), SOURCE));
    }

    @Test
    void theFileNameOtherwise() {
        assertEquals("carol-hw", GradeCommand.studentOf(Path.of("/inbox/carol-hw.ipynb"), SOURCE));
    }
}
