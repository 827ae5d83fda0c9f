"""Sample statements in a person's own voice, shared by the tests and the benchmarks."""

STATEMENTS = [
    "I make everyone laugh at breakfast with my terrible puns.",
    "I always remember your birthday and I ask after your children by name.",
    "I taught at the village school for thirty years, and former pupils still visit me.",
    "I can get any plant to grow, and I will tell you exactly how to look after yours.",
    "Singing along to Johnny Cash with my brother Dai on Sunday afternoons.",
    "A cup of tea with two sugars in my blue mug as soon as I wake up, before anything else.",
    "My daughter Ann visits on Tuesdays and Fridays; we look through the old photographs.",
    "Chapel on Sunday mornings, sitting near the back so I can leave quietly if I get tired.",
    "Please knock and wait for me to answer before you come into my room.",
    "I wear my hearing aid in my left ear only; the right one whistles and hurts.",
    "If I rub my forehead and go quiet, I am in pain: ask me where it hurts.",
    "Cut my food into small pieces and give me time: I eat slowly and like to finish.",
    "Talk to me about the farm where I grew up; it settles me in the evenings.",
    "I like to choose my own clothes: hold up two tops and let me point to one.",
    "I walk with my frame and need someone beside me on the stairs; never take my arm.",
]
