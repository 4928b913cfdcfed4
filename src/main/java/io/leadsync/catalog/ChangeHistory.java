package io.leadsync.catalog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import io.leadsync.model.StageChange;

/** The most recent change events, oldest first, bounded so memory stays flat whatever the churn. */
final class ChangeHistory {

    private final int capacity;
    private final Deque<StageChange> events = new ArrayDeque<>();

    ChangeHistory(int capacity) {
        this.capacity = capacity;
    }

    synchronized void addAll(List<StageChange> changes) {
        for (StageChange change : changes) {
            if (capacity <= 0) {
                return;
            }
            if (events.size() == capacity) {
                events.removeFirst();
            }
            events.addLast(change);
        }
    }

    synchronized List<StageChange> list() {
        return new ArrayList<>(events);
    }
}
