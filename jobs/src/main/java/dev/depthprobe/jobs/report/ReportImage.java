package dev.depthprobe.jobs.report;

/** A PNG written into the report's folder: its path relative to {@code index.html} and its size in pixels. */
record ReportImage(String path, int width, int height) {}
