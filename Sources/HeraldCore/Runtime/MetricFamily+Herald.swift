/// Every metric family Herald exports, in one place (docs/observability.md describes each; the
/// metrics test parses every process's output and finds them).
extension MetricFamily {
    // MARK: Every process

    /// `1`, labelled with the build.
    public static let buildInfo = MetricFamily("herald_build_info", .gauge, help: "Always 1; labels name the service, Herald version and Swift compiler", labels: ["service", "version", "swift"])
    /// CPU time used by the process.
    public static let processCPU = MetricFamily("process_cpu_seconds_total", .counter, help: "User and system CPU time spent, in seconds")
    /// Resident memory.
    public static let processResidentMemory = MetricFamily("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes")
    /// Open file descriptors.
    public static let processOpenFDs = MetricFamily("process_open_fds", .gauge, help: "Open file descriptors")
    /// Start time.
    public static let processStartTime = MetricFamily("process_start_time_seconds", .gauge, help: "Start time of the process since the Unix epoch, in seconds")
    /// Commands this process's cluster clients wrote to each master (cluster mode only).
    public static let redisClusterCommands = MetricFamily("herald_redis_cluster_commands_total", .counter, help: "Commands written to each Redis Cluster master (cluster mode only)", labels: ["node"])
    /// Commands of a pipeline written to a node other than the one that took most of it.
    public static let redisClusterCrossNodeCommands = MetricFamily("herald_redis_cluster_cross_node_commands_total", .counter, help: "Commands of a pipeline written to a master other than the one that took most of that pipeline (cluster mode only)")
    /// MOVED and ASK redirects followed.
    public static let redisClusterRedirects = MetricFamily("herald_redis_cluster_redirects_total", .counter, help: "MOVED and ASK redirects followed (cluster mode only)")

    // MARK: Stream workers

    /// Worker loop errors.
    public static let workerErrors = MetricFamily("herald_worker_errors_total", .counter, help: "Worker loop errors (Redis unreachable …)", labels: ["worker"])
    /// Entries claimed from idle consumers.
    public static let entriesClaimed = MetricFamily("herald_entries_claimed_total", .counter, help: "Entries claimed from other consumers that went idle holding them", labels: ["worker"])
    /// Acknowledged entries trimmed.
    public static let entriesTrimmed = MetricFamily("herald_stream_entries_trimmed_total", .counter, help: "Acknowledged entries trimmed from consumed streams", labels: ["worker"])
    /// Entries handled and acknowledged.
    public static let entriesProcessed = MetricFamily("herald_entries_processed_total", .counter, help: "Entries handled and acknowledged", labels: ["worker"])
    /// Entries left pending after a failure.
    public static let entriesRetried = MetricFamily("herald_entries_retried_total", .counter, help: "Entries left pending after a failure", labels: ["worker"])
    /// Batches a worker left pending because their writes reached too few replicas (`HERALD_REPLICA_ACKS`).
    public static let replicaAckTimeouts = MetricFamily(
        "herald_replica_ack_timeouts_total", .counter, help: "Batches left pending because their writes reached too few replicas in time", labels: ["worker"])
    /// Entries a worker moved to the dead-letter stream.
    public static let entriesDeadLettered = MetricFamily("herald_entries_dead_lettered_total", .counter, help: "Entries moved to the dead-letter stream by a worker loop", labels: ["worker"])
    /// Handling time of the last batch.
    public static let lastBatchSeconds = MetricFamily("herald_last_batch_seconds", .gauge, help: "Handling time of the last batch", labels: ["worker"])
    /// Every dead letter written, by reason.
    public static let deadLetters = MetricFamily("herald_dead_letters_total", .counter, help: "Dead letters written to herald:dead-letter, by reason code", labels: ["service", "reason"])

    // MARK: Streams (sampled every HERALD_METRICS_INTERVAL_MS)

    /// Entries not yet delivered to a group.
    public static let streamLag = MetricFamily("herald_stream_lag", .gauge, help: "Entries in the stream not yet delivered to the consumer group (XINFO GROUPS lag)", labels: ["stream", "group"])
    /// Entries delivered and not acknowledged.
    public static let streamPending = MetricFamily("herald_stream_pending", .gauge, help: "Entries delivered to the group and not acknowledged yet", labels: ["stream", "group"])
    /// Age of the oldest pending entry.
    public static let streamOldestPendingAge = MetricFamily("herald_stream_oldest_pending_age_seconds", .gauge, help: "Age of the group's oldest unacknowledged entry (0 when none is pending)", labels: ["stream", "group"])
    /// When the sample was taken.
    public static let streamSampleTime = MetricFamily("herald_stream_sample_timestamp_seconds", .gauge, help: "When the stream gauges were last sampled, since the Unix epoch")

    // MARK: Ingestor

    /// Rejected payloads.
    public static let eventsRejected = MetricFamily("herald_events_rejected_total", .counter, help: "Payloads rejected by the ingestor", labels: ["reason"])
    /// Accepted events.
    public static let eventsAccepted = MetricFamily("herald_events_accepted_total", .counter, help: "Events accepted into partitions")
    /// Duplicate events.
    public static let eventsDuplicate = MetricFamily("herald_events_duplicate_total", .counter, help: "Events dropped as duplicate messageIds")
    /// Dedupe window cut short.
    public static let dedupeWindowCut = MetricFamily("herald_dedupe_window_cut_total", .counter, help: "Accepted events after which HERALD_DEDUPE_CAPACITY cut the dedupe window short")
    /// The window kept when cut.
    public static let dedupeWindowKept = MetricFamily("herald_dedupe_window_kept_seconds", .gauge, help: "The dedupe window the capacity kept when it last cut it short")

    // MARK: Evaluator

    /// Feedback events refused.
    public static let feedbackRefused = MetricFamily("herald_feedback_refused_total", .counter, help: "Provider feedback events from producers, not applied", labels: ["event"])
    /// Feedback events lacking what they need.
    public static let feedbackInvalid = MetricFamily("herald_feedback_invalid_total", .counter, help: "Feedback events lacking what they need")
    /// Feedback events applied.
    public static let feedbackApplied = MetricFamily("herald_feedback_total", .counter, help: "Feedback events applied", labels: ["event"])
    /// Feedback status records lost.
    public static let feedbackRecordsLost = MetricFamily("herald_feedback_records_lost_total", .counter, help: "Feedback status records herald:deliveries refused")
    /// Identity handovers (`anon:<id>` merged into a user) delivered to the target's partition.
    public static let identityHandovers = MetricFamily("herald_identity_handovers_total", .counter, help: "Identity handovers delivered to the partition of the user they were merged into")
    /// Inputs of a merged identity forwarded to the user it was merged into, or dropped (`kind`).
    public static let identityForwarded = MetricFamily("herald_identity_forwarded_total", .counter, help: "Inputs of a merged identity forwarded to the user it was merged into, or dropped (its timers and refreshes)", labels: ["outcome"])
    /// Redelivered inputs applied before.
    public static let evaluationsSkipped = MetricFamily("herald_evaluations_skipped_total", .counter, help: "Redelivered inputs that were applied before")
    /// Inputs evaluated.
    public static let evaluations = MetricFamily("herald_evaluations_total", .counter, help: "Inputs evaluated", labels: ["input"])
    /// Fenced writes.
    public static let evaluationsFenced = MetricFamily("herald_evaluations_fenced_total", .counter, help: "Writes refused because the partition lease moved")
    /// Users erased.
    public static let usersErased = MetricFamily("herald_users_erased_total", .counter, help: "Users erased by a Forget User request or for inactivity", labels: ["cause"])
    /// Erasures of inactive users an evaluator put on partition streams.
    public static let inactivityErasuresRequested = MetricFamily(
        "herald_inactivity_erasures_requested_total", .counter, help: "Erasures of inactive users put on partition streams")
    /// Inputs dead-lettered unapplied.
    public static let inputsRefused = MetricFamily("herald_inputs_refused_total", .counter, help: "Partition inputs dead-lettered unapplied", labels: ["reason"])
    /// Send requests put on channel streams.
    public static let sendsRequested = MetricFamily("herald_sends_requested_total", .counter, help: "Send requests put on channel streams", labels: ["channel"])
    /// Partition leases held by this evaluator.
    public static let partitionLeaseOwned = MetricFamily("herald_partition_lease_owned", .gauge, help: "1 for each partition this evaluator holds the lease of, 0 for the others", labels: ["partition", "owner"])

    // MARK: Scheduler

    /// Timers fired.
    public static let timersFired = MetricFamily("herald_timers_fired_total", .counter, help: "Timers moved into partition streams")
    /// Timers waiting per partition.
    public static let timersPending = MetricFamily("herald_timers_pending", .gauge, help: "Timers scheduled and not fired yet (journey waits, deferred and retried sends)", labels: ["partition"])
    /// How late timers fire.
    public static let timerLateness = MetricFamily("herald_timer_lateness_seconds", .histogram(buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]), help: "How long after its due time each timer fired")

    // MARK: Senders

    /// What the sender delivers through.
    public static let senderInfo = MetricFamily("herald_sender_info", .gauge, help: "Always 1; delivery=local means the channel's messages stay on this host (outbox directory, in-app inbox) because no provider credentials are configured", labels: ["channel", "provider", "delivery"])
    /// Provider calls by outcome.
    public static let providerCalls = MetricFamily("herald_provider_calls_total", .counter, help: "Provider calls by provider, channel, outcome (sent, retryable, permanent, invalid_recipient) and reply class (http_2xx, smtp_5xx, timeout, transport, local …)", labels: ["provider", "channel", "outcome", "code_class"])
    /// Provider call duration.
    public static let providerCallSeconds = MetricFamily("herald_provider_call_seconds", .histogram(buckets: latencyBuckets), help: "Duration of one provider call", labels: ["provider", "channel"])
    /// From the producer's XADD to the provider's acceptance.
    public static let sendLatency = MetricFamily("herald_send_latency_seconds", .histogram(buckets: latencyBuckets), help: "From the event's XADD into herald:ingest to the provider accepting the message it triggered", labels: ["channel"])
    /// Retries scheduled.
    public static let sendRetries = MetricFamily("herald_send_retries_total", .counter, help: "Sends scheduled for another attempt after a retryable provider failure, by reply class", labels: ["channel", "provider", "reason"])
    /// Messages not sent because of a suppression, consent or cap.
    public static let suppressions = MetricFamily("herald_suppressions_total", .counter, help: "Messages not sent, by suppression reason", labels: ["channel", "reason"])
    /// Breaker state.
    public static let breakerState = MetricFamily("herald_circuit_breaker_state", .gauge, help: "Circuit breaker of a failover provider: 0 closed, 1 half-open, 2 open", labels: ["channel", "provider"])
    /// Redelivered requests of parked sends.
    public static let sendsUnknownRedelivered = MetricFamily("herald_sends_unknown_redelivered_total", .counter, help: "Redelivered requests of parked (unknown) sends", labels: ["channel"])
    /// Send outcomes.
    public static let deliveries = MetricFamily("herald_deliveries_total", .counter, help: "Send outcomes by status", labels: ["channel", "status"])
    /// Rate-limit deferrals.
    public static let sendsRateLimited = MetricFamily("herald_sends_rate_limited_total", .counter, help: "Sends deferred by the provider's shared rate limit", labels: ["channel", "provider"])
    /// Outcome writes retried.
    public static let recordRetries = MetricFamily("herald_record_retries_total", .counter, help: "Outcome writes retried because Redis could not take them", labels: ["channel"])
    /// Uncertain sends.
    public static let sendsUncertain = MetricFamily("herald_sends_uncertain_total", .counter, help: "Keys whose claim holder stopped without an outcome", labels: ["channel", "policy"])

    // MARK: Edge

    /// Requests the edge answered.
    public static let httpRequests = MetricFamily("herald_http_requests_total", .counter, help: "Requests the edge answered, by route name and status", labels: ["route", "status"])
    /// Time to answer a request.
    public static let httpRequestSeconds = MetricFamily("herald_http_request_seconds", .histogram(buckets: latencyBuckets), help: "From a request's arrival to its response being queued", labels: ["route"])

    // MARK: Edge: provider callbacks, opens and clicks

    /// Provider callbacks and tracked links the edge refused, by route and reason.
    public static let edgeCallbacksRefused = MetricFamily(
        "herald_edge_callbacks_refused_total", .counter, help: "Provider callbacks and tracked links refused (unsigned, mis-signed, stale, malformed)", labels: ["route", "reason"])
    /// Feedback events the edge wrote from provider callbacks, opens and clicks.
    public static let edgeFeedbackWritten = MetricFamily(
        "herald_edge_feedback_events_total", .counter, help: "Feedback events written from provider callbacks, opens and clicks", labels: ["route", "event"])

    /// What the unsubscribe link recorded.
    public static let edgeUnsubscribes = MetricFamily("herald_edge_unsubscribes_total", .counter, help: "Unsubscribe-link requests: recorded one-click, page and preference submissions, and refused tokens", labels: ["via"])

    /// Every family above.
    public static let all: [MetricFamily] = [
        buildInfo, processCPU, processResidentMemory, processOpenFDs, processStartTime,
        redisClusterCommands, redisClusterCrossNodeCommands, redisClusterRedirects,
        workerErrors, entriesClaimed, entriesTrimmed, entriesProcessed, entriesRetried, replicaAckTimeouts, entriesDeadLettered, lastBatchSeconds, deadLetters,
        streamLag, streamPending, streamOldestPendingAge, streamSampleTime,
        eventsRejected, eventsAccepted, eventsDuplicate, dedupeWindowCut, dedupeWindowKept,
        feedbackRefused, feedbackInvalid, feedbackApplied, feedbackRecordsLost, evaluationsSkipped, identityHandovers, identityForwarded, evaluations, evaluationsFenced,
        usersErased, inactivityErasuresRequested, inputsRefused, sendsRequested, partitionLeaseOwned,
        timersFired, timersPending, timerLateness,
        senderInfo, providerCalls, providerCallSeconds, sendLatency, sendRetries, suppressions, breakerState, sendsUnknownRedelivered,
        deliveries, sendsRateLimited, recordRetries, sendsUncertain, httpRequests, httpRequestSeconds, edgeUnsubscribes,
        edgeCallbacksRefused, edgeFeedbackWritten,
    ]
}
