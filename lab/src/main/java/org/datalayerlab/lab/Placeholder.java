package org.datalayerlab.lab; /** Placeholder so the module compiles. */ final class Placeholder {}
