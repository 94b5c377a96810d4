import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-scheduler") { process in
    [
        TimerScheduler(
            redis: process.configuration.redis, keyspace: process.configuration.keyspace, logger: process.logger,
            metrics: process.metrics, heartbeat: process.heartbeat)
    ]
}
