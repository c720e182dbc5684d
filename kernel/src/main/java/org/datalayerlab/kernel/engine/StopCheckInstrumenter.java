package org.datalayerlab.kernel.engine;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites a class compiled from a cell so that it calls {@link CellStop#check()} on every method
 * entry and before every backward jump. The call takes and leaves nothing on the operand stack,
 * so existing stack map frames stay valid and only max sizes are recomputed.
 */
final class StopCheckInstrumenter {

    private static final String STOP_OWNER = CellStop.class.getName().replace('.', '/');

    private StopCheckInstrumenter() {
    }

    static byte[] instrument(byte[] classBytes) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new StopCheckMethodVisitor(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class StopCheckMethodVisitor extends MethodVisitor {
        private final Set<Label> seenLabels = new HashSet<>();

        StopCheckMethodVisitor(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            insertCheck();
        }

        @Override
        public void visitLabel(Label label) {
            seenLabels.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label target) {
            if (seenLabels.contains(target)) {
                insertCheck(); // a backward jump: one loop iteration
            }
            super.visitJumpInsn(opcode, target);
        }

        private void insertCheck() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, STOP_OWNER, "check", "()V", false);
        }
    }
}
