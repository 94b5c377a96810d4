import HeraldCore
import HeraldFleet

// The edge's routes and server are wired in as they land (issue 13); until then it only starts.
await FleetProcess.main("herald-edge") { _ in [] }
