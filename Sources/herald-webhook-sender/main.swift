import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-webhook-sender") { process in
    try SenderProcess.services(channel: .webhook, process: process)
}
