package io.leadsync.model;

/** Where a stage sits in a pipeline, in every CRM's vocabulary. */
public enum StageCategory {
    OPEN, WON, LOST
}
