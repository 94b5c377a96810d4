import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-scheduler") { process in
    let keyspace = process.configuration.keyspace
    return [
        TimerScheduler(
            redis: process.configuration.redis, keyspace: keyspace, logger: process.logger,
            metrics: process.metrics, heartbeat: process.heartbeat)
    ] + (try process.metricsSampler([TimerScheduler.pendingTimersSample(keyspace: keyspace, metrics: process.metrics)]))
}
