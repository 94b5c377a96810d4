import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-sms-sender") { process in
    try SenderProcess.services(channel: .sms, process: process)
}
