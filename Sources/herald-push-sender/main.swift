import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-push-sender") { process in
    try SenderProcess.services(channel: .push, process: process)
}
