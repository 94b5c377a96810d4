import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-scheduler") { process in
    let configuration = try SchedulerConfiguration(environment: process.configuration.environment)
    let keyspace = configuration.fleet.keyspace
    return [
        TimerScheduler(
            redis: configuration.fleet.redis, keyspace: keyspace, logger: process.logger,
            metrics: process.metrics, heartbeat: process.heartbeat)
    ] + (try process.metricsSampler([TimerScheduler.pendingTimersSample(keyspace: keyspace, metrics: process.metrics)]))
}
