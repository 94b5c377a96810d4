import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-edge", services: EdgeProcess.services)
