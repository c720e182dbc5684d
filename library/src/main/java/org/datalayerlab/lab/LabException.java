package org.datalayerlab.lab;

/** Something the lab could not do, with what went wrong and, where possible, what to do about it. */
public class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
