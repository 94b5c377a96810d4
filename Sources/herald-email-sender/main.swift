import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-email-sender") { process in
    try SenderProcess.services(channel: .email, process: process)
}
