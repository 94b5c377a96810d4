import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-inapp-sender") { process in
    try SenderProcess.services(channel: .inapp, process: process)
}
