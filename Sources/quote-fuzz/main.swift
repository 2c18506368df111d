// Placeholder until the fuzz harness lands.
@main struct QuoteFuzz { static func main() {} }
